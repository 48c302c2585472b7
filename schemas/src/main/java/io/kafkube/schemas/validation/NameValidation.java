package io.kafkube.schemas.validation;

import io.kafkube.schemas.resource.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Name rules of Kubernetes ({@code apimachinery/pkg/util/validation} and
 * {@code api/validation/path}): each {@code is…} method returns Kubernetes' messages for a bad
 * value, empty when the value is fine. {@link #ruleFor(ResourceType)} tells which rule the
 * {@code metadata.name} of each kind follows.
 */
public final class NameValidation {
  public static final int DNS1123_LABEL_MAX_LENGTH = 63;
  public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
  public static final int DNS1035_LABEL_MAX_LENGTH = 63;

  static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_LABEL_ERR = "a lowercase RFC 1123 label must consist of lower case "
      + "alphanumeric characters or '-', and must start and end with an alphanumeric character";
  static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  private static final String DNS1123_SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain must consist of lower "
      + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1035_LABEL_ERR = "a DNS-1035 label must consist of lower case alphanumeric "
      + "characters or '-', start with an alphabetic character, and end with an alphanumeric character";
  private static final String WILDCARD_FMT = "\\*\\." + DNS1123_SUBDOMAIN_FMT;
  private static final String WILDCARD_ERR = "a wildcard DNS-1123 subdomain must start with '*.', followed by "
      + "a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and "
      + "end with an alphanumeric character";

  private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
  private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
  private static final Pattern WILDCARD = Pattern.compile(WILDCARD_FMT);

  private NameValidation() {}

  /** How an object name is checked: Kubernetes' {@code ValidateNameFunc}. */
  @FunctionalInterface
  public interface NameRule {
    /**
     * The messages for a bad name; {@code prefix} is true for {@code generateName}, where a
     * trailing {@code -} is allowed.
     */
    List<String> validate(String name, boolean prefix);
  }

  /** Kubernetes' {@code NameIsDNSSubdomain}: Pod, Deployment, ConfigMap, Node, … */
  public static final NameRule DNS_SUBDOMAIN = (n, p) -> isDns1123Subdomain(p ? maskTrailingDash(n) : n);
  /** Kubernetes' {@code NameIsDNSLabel}: Namespace, StatefulSet. */
  public static final NameRule DNS_LABEL = (n, p) -> isDns1123Label(p ? maskTrailingDash(n) : n);
  /** Kubernetes' {@code NameIsDNS1035Label}: Service. */
  public static final NameRule DNS1035_LABEL_RULE = (n, p) -> isDns1035Label(p ? maskTrailingDash(n) : n);
  /** Kubernetes' {@code path.ValidatePathSegmentName}: RBAC kinds, PersistentVolume(Claim). */
  public static final NameRule PATH_SEGMENT = (n, p) -> p ? isValidPathSegmentPrefix(n) : isValidPathSegmentName(n);

  /** The rule for {@code metadata.name} of a kind, as Kubernetes 1.32 validates it. */
  public static NameRule ruleFor(ResourceType type) {
    return switch (type.kind()) {
      case "Namespace", "StatefulSet" -> DNS_LABEL;
      case "Service" -> DNS1035_LABEL_RULE;
      case "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
          "PersistentVolume", "PersistentVolumeClaim" -> PATH_SEGMENT;
      default -> DNS_SUBDOMAIN;
    };
  }

  public static List<String> isDns1123Label(String value) {
    List<String> errs = new ArrayList<>(1);
    if (value.length() > DNS1123_LABEL_MAX_LENGTH) {
      errs.add(Messages.maxLen(DNS1123_LABEL_MAX_LENGTH));
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
        errs.add("must not contain dots");
      } else {
        errs.add(Messages.regex(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, "my-name", "123-abc"));
      }
    }
    return errs;
  }

  public static List<String> isDns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>(1);
    if (value.length() > DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errs.add(Messages.maxLen(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errs.add(Messages.regex(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, "example.com"));
    }
    return errs;
  }

  public static List<String> isDns1035Label(String value) {
    List<String> errs = new ArrayList<>(1);
    if (value.length() > DNS1035_LABEL_MAX_LENGTH) {
      errs.add(Messages.maxLen(DNS1035_LABEL_MAX_LENGTH));
    }
    if (!DNS1035_LABEL.matcher(value).matches()) {
      errs.add(Messages.regex(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, "my-name", "abc-123"));
    }
    return errs;
  }

  /** {@code *.example.com} (Ingress hosts). */
  public static List<String> isWildcardDns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>(1);
    if (value.length() > DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errs.add(Messages.maxLen(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if (!WILDCARD.matcher(value).matches()) {
      errs.add(Messages.regex(WILDCARD_ERR, WILDCARD_FMT, "*.example.com"));
    }
    return errs;
  }

  /** Names that are one path segment: not {@code .} or {@code ..}, no {@code /} or {@code %}. */
  public static List<String> isValidPathSegmentName(String name) {
    if (name.equals(".") || name.equals("..")) {
      return List.of("may not be '" + name + "'");
    }
    return isValidPathSegmentPrefix(name);
  }

  public static List<String> isValidPathSegmentPrefix(String name) {
    List<String> errs = new ArrayList<>(0);
    if (name.contains("/")) {
      errs.add("may not contain '/'");
    }
    if (name.contains("%")) {
      errs.add("may not contain '%'");
    }
    return errs;
  }

  /** Kubernetes' {@code maskTrailingDash}: a generateName may end in {@code -}. */
  static String maskTrailingDash(String name) {
    if (name.length() > 1 && name.endsWith("-")) {
      return name.substring(0, name.length() - 2) + "a";
    }
    return name;
  }
}
