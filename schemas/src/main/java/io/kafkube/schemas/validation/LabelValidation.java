package io.kafkube.schemas.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Qualified names (label and annotation keys, finalizers), label values and annotation size. */
public final class LabelValidation {
  public static final int QUALIFIED_NAME_MAX_LENGTH = 63;
  public static final int LABEL_VALUE_MAX_LENGTH = 63;
  /** Kubernetes' {@code TotalAnnotationSizeLimitB}: 256 KiB over all keys and values. */
  public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

  private static final String QNAME_CHAR = "[A-Za-z0-9]";
  private static final String QNAME_EXT_CHAR = "[-A-Za-z0-9_.]";
  static final String QUALIFIED_NAME_FMT = "(" + QNAME_CHAR + QNAME_EXT_CHAR + "*)?" + QNAME_CHAR;
  private static final String QUALIFIED_NAME_ERR = "must consist of alphanumeric characters, '-', '_' or '.', "
      + "and must start and end with an alphanumeric character";
  private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
  private static final String LABEL_VALUE_ERR = "a valid label must be an empty string or consist of "
      + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

  private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
  private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);

  private LabelValidation() {}

  /** {@code name} or {@code dns.prefix/name} (label keys, annotation keys, finalizers). */
  public static List<String> isQualifiedName(String value) {
    List<String> errs = new ArrayList<>(1);
    String[] parts = value.split("/", -1);
    String name;
    switch (parts.length) {
      case 1 -> name = parts[0];
      case 2 -> {
        String prefix = parts[0];
        name = parts[1];
        if (prefix.isEmpty()) {
          errs.add("prefix part " + Messages.empty());
        } else {
          for (String msg : NameValidation.isDns1123Subdomain(prefix)) {
            errs.add("prefix part " + msg);
          }
        }
      }
      default -> {
        errs.add("a qualified name " + Messages.regex(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT,
            "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        return errs;
      }
    }
    if (name.isEmpty()) {
      errs.add("name part " + Messages.empty());
    } else if (name.length() > QUALIFIED_NAME_MAX_LENGTH) {
      errs.add("name part " + Messages.maxLen(QUALIFIED_NAME_MAX_LENGTH));
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      errs.add("name part " + Messages.regex(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  public static List<String> isValidLabelValue(String value) {
    List<String> errs = new ArrayList<>(1);
    if (value.length() > LABEL_VALUE_MAX_LENGTH) {
      errs.add(Messages.maxLen(LABEL_VALUE_MAX_LENGTH));
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errs.add(Messages.regex(LABEL_VALUE_ERR, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
    }
    return errs;
  }

  /** A label key: errors at {@code path} with the key as value. */
  public static List<FieldError> validateLabelName(String key, FieldPath path) {
    List<FieldError> out = new ArrayList<>(0);
    for (String msg : isQualifiedName(key)) {
      out.add(FieldError.invalid(path, key, msg));
    }
    return out;
  }

  /** Keys and values of a label map (sorted by key, for stable output), errors at {@code path}. */
  public static List<FieldError> validateLabels(Map<String, String> labels, FieldPath path) {
    List<FieldError> out = new ArrayList<>(0);
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      out.addAll(validateLabelName(e.getKey(), path));
      String v = e.getValue() == null ? "" : e.getValue();
      for (String msg : isValidLabelValue(v)) {
        out.add(FieldError.invalid(path, v, msg));
      }
    }
    return out;
  }

  /** Annotation keys (qualified names, any case) and the total size limit. */
  public static List<FieldError> validateAnnotations(Map<String, String> annotations, FieldPath path) {
    List<FieldError> out = new ArrayList<>(0);
    long total = 0;
    for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
      for (String msg : isQualifiedName(e.getKey().toLowerCase(Locale.ROOT))) {
        out.add(FieldError.invalid(path, e.getKey(), msg));
      }
      total += utf8Length(e.getKey()) + (e.getValue() == null ? 0 : utf8Length(e.getValue()));
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
      out.add(FieldError.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
    return out;
  }

  static long utf8Length(String s) {
    boolean ascii = true;
    for (int i = 0; i < s.length() && ascii; i++) {
      ascii = s.charAt(i) < 0x80;
    }
    return ascii ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
