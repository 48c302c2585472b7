package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.s;

import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/** {@code LabelSelector}s: validation, matching, and their Go rendering in error values. */
public final class SelectorValidation {
  private SelectorValidation() {}

  /** Kubernetes' {@code ValidateLabelSelector} (a null selector is valid). */
  static void validate(GenericRecord selector, FieldPath path, List<FieldError> errs) {
    if (selector == null) {
      return;
    }
    Map<String, String> matchLabels = Rec.stringMap(selector, "matchLabels");
    if (matchLabels != null) {
      errs.addAll(LabelValidation.validateLabels(matchLabels, path.child("matchLabels")));
    }
    List<GenericRecord> exprs = Rec.records(selector, "matchExpressions");
    for (int i = 0; i < exprs.size(); i++) {
      GenericRecord e = exprs.get(i);
      FieldPath p = path.child("matchExpressions").index(i);
      String op = s(e, "operator");
      List<String> values = Rec.strings(e, "values");
      switch (op) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            errs.add(FieldError.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            errs.add(FieldError.forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          }
        }
        default -> errs.add(FieldError.invalid(p.child("operator"), op, "not a valid selector operator"));
      }
      errs.addAll(LabelValidation.validateLabelName(s(e, "key"), p.child("key")));
      for (int j = 0; j < values.size(); j++) {
        for (String msg : LabelValidation.isValidLabelValue(values.get(j))) {
          errs.add(FieldError.invalid(p.child("values").index(j), values.get(j), msg));
        }
      }
    }
  }

  /** Whether a selector can be turned into a label query (Kubernetes' {@code LabelSelectorAsSelector}). */
  static boolean convertible(GenericRecord selector) {
    List<FieldError> errs = new java.util.ArrayList<>();
    validate(selector, FieldPath.root(), errs);
    return errs.isEmpty();
  }

  static boolean isEmpty(GenericRecord selector) {
    Map<String, String> ml = Rec.stringMap(selector, "matchLabels");
    return (ml == null || ml.isEmpty()) && Rec.list(selector, "matchExpressions").isEmpty();
  }

  /**
   * Whether {@code labels} match {@code selector}: all matchLabels and all matchExpressions. A
   * null selector matches nothing, an empty one everything (Kubernetes' semantics).
   */
  public static boolean matches(GenericRecord selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> ml = Rec.stringMap(selector, "matchLabels");
    if (ml != null) {
      for (Map.Entry<String, String> e : ml.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    for (GenericRecord e : Rec.records(selector, "matchExpressions")) {
      String key = s(e, "key");
      List<String> values = Rec.strings(e, "values");
      boolean has = labels.containsKey(key);
      boolean ok = switch (s(e, "operator")) {
        case "In" -> has && values.contains(labels.get(key));
        case "NotIn" -> !has || !values.contains(labels.get(key));
        case "Exists" -> has;
        case "DoesNotExist" -> !has;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** {@code v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}. */
  static GoValue goValue(GenericRecord selector) {
    StringBuilder sb = new StringBuilder("v1.LabelSelector{MatchLabels:")
        .append(GoValue.stringMap(Rec.stringMap(selector, "matchLabels")))
        .append(", MatchExpressions:");
    if (!Rec.has(selector, "matchExpressions")) {
      sb.append("[]v1.LabelSelectorRequirement(nil)");
    } else {
      sb.append("[]v1.LabelSelectorRequirement{");
      List<GenericRecord> exprs = Rec.records(selector, "matchExpressions");
      for (int i = 0; i < exprs.size(); i++) {
        GenericRecord e = exprs.get(i);
        if (i > 0) {
          sb.append(", ");
        }
        sb.append("v1.LabelSelectorRequirement{Key:").append(GoValue.quote(s(e, "key")))
            .append(", Operator:").append(GoValue.quote(s(e, "operator")))
            .append(", Values:").append(GoValue.stringSlice(Rec.has(e, "values") ? Rec.strings(e, "values") : null))
            .append('}');
      }
      sb.append('}');
    }
    return GoValue.literal(sb.append('}').toString());
  }
}
