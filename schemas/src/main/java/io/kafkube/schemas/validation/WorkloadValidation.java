package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.num;
import static io.kafkube.schemas.validation.Rec.rec;
import static io.kafkube.schemas.validation.Rec.s;

import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Deployment, ReplicaSet, StatefulSet and DaemonSet specs (apps/v1). */
final class WorkloadValidation {
  static final FieldPath SPEC = FieldPath.of("spec");
  private static final List<String> RETENTION = List.of("Retain", "Delete");
  static final String STS_UPDATE_FORBIDDEN = "updates to statefulset spec for fields other than 'replicas', "
      + "'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
      + "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

  private WorkloadValidation() {}

  static void nonNegative(GenericRecord r, String field, FieldPath path, List<FieldError> errs) {
    Long v = num(r, field);
    if (v != null && v < 0) {
      errs.add(FieldError.invalid(path.child(field), v, Messages.IS_NEGATIVE));
    }
  }

  static void validateDeployment(GenericRecord spec, List<FieldError> errs) {
    nonNegative(spec, "replicas", SPEC, errs);
    GenericRecord selector = rec(spec, "selector");
    if (selector == null) {
      errs.add(FieldError.required(SPEC.child("selector"), ""));
      return;
    }
    selectorAndTemplate(spec, selector, "deployment", "ReplicaSet", errs);
    validateDeploymentStrategy(rec(spec, "strategy"), SPEC.child("strategy"), errs);
    nonNegative(spec, "minReadySeconds", SPEC, errs);
    nonNegative(spec, "revisionHistoryLimit", SPEC, errs);
    Long progress = num(spec, "progressDeadlineSeconds");
    if (progress != null) {
      nonNegative(spec, "progressDeadlineSeconds", SPEC, errs);
      long minReady = num(spec, "minReadySeconds") == null ? 0 : num(spec, "minReadySeconds");
      if (progress <= minReady) {
        errs.add(FieldError.invalid(SPEC.child("progressDeadlineSeconds"), progress, "must be greater than minReadySeconds"));
      }
    }
  }

  static void validateReplicaSet(GenericRecord spec, List<FieldError> errs) {
    nonNegative(spec, "replicas", SPEC, errs);
    nonNegative(spec, "minReadySeconds", SPEC, errs);
    GenericRecord selector = rec(spec, "selector");
    if (selector == null) {
      errs.add(FieldError.required(SPEC.child("selector"), ""));
      return;
    }
    selectorAndTemplate(spec, selector, "deployment", "ReplicaSet", errs);
  }

  /** Selector checks, then the template as a replica set's ({@code ValidatePodTemplateSpecForReplicaSet}). */
  private static void selectorAndTemplate(GenericRecord spec, GenericRecord selector, String emptyWord,
      String owner, List<FieldError> errs) {
    FieldPath selPath = SPEC.child("selector");
    SelectorValidation.validate(selector, selPath, errs);
    if (SelectorValidation.isEmpty(selector)) {
      errs.add(FieldError.invalid(selPath, SelectorValidation.goValue(selector), "empty selector is invalid for " + emptyWord));
    }
    if (!SelectorValidation.convertible(selector)) {
      errs.add(FieldError.invalid(selPath, SelectorValidation.goValue(selector), "invalid label selector"));
      return;
    }
    validateTemplate(spec, selector, owner, errs);
  }

  private static void validateTemplate(GenericRecord spec, GenericRecord selector, String owner,
      List<FieldError> errs) {
    FieldPath tPath = SPEC.child("template");
    GenericRecord template = rec(spec, "template");
    if (template == null) {
      errs.add(FieldError.required(tPath, ""));
      return;
    }
    if (selector != null && !SelectorValidation.isEmpty(selector)) {
      Map<String, String> labels = Rec.stringMap(rec(template, "metadata"), "labels");
      if (!SelectorValidation.matches(selector, labels == null ? Map.of() : labels)) {
        errs.add(FieldError.invalid(tPath.child("metadata", "labels"), GoValue.literal(GoValue.stringMap(labels)),
            "`selector` does not match template `labels`"));
      }
    }
    PodValidation.validateTemplate(template, tPath, errs);
    restartAlwaysNoDeadline(rec(template, "spec"), tPath, owner, errs);
  }

  private static void restartAlwaysNoDeadline(GenericRecord podSpec, FieldPath tPath, String owner,
      List<FieldError> errs) {
    String restart = s(podSpec, "restartPolicy");
    if (!restart.isEmpty() && !restart.equals("Always")) {
      errs.add(FieldError.notSupported(tPath.child("spec", "restartPolicy"), restart, List.of("Always")));
    }
    if (Rec.has(podSpec, "activeDeadlineSeconds")) {
      if (owner.equals("DaemonSet")) {
        errs.add(FieldError.invalid(tPath.child("spec", "activeDeadlineSeconds"), num(podSpec, "activeDeadlineSeconds"),
            "activeDeadlineSeconds in DaemonSet is not Supported"));
      } else {
        errs.add(FieldError.forbidden(tPath.child("spec", "activeDeadlineSeconds"),
            "activeDeadlineSeconds in " + owner + " is not Supported"));
      }
    }
  }

  private static void validateDeploymentStrategy(GenericRecord strategy, FieldPath path, List<FieldError> errs) {
    String type = s(strategy, "type");
    GenericRecord rolling = rec(strategy, "rollingUpdate");
    switch (type) {
      case "" -> { } // defaulted to RollingUpdate
      case "Recreate" -> {
        if (rolling != null) {
          errs.add(FieldError.forbidden(path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"));
        }
      }
      case "RollingUpdate" -> {
        if (rolling != null) {
          FieldPath rp = path.child("rollingUpdate");
          Object maxUnavailable = Rec.raw(rolling, "maxUnavailable");
          Object maxSurge = Rec.raw(rolling, "maxSurge");
          positiveIntOrPercent(maxUnavailable, rp.child("maxUnavailable"), errs);
          positiveIntOrPercent(maxSurge, rp.child("maxSurge"), errs);
          if (maxUnavailable != null && maxSurge != null && intOrPercent(maxUnavailable) == 0
              && intOrPercent(maxSurge) == 0) {
            errs.add(FieldError.invalid(rp.child("maxUnavailable"), GoValue.intOrString(maxUnavailable),
                "may not be 0 when `maxSurge` is 0"));
          }
          notMoreThan100Percent(maxUnavailable, rp.child("maxUnavailable"), errs);
        }
      }
      default -> errs.add(FieldError.notSupported(path, GoValue.literal("apps.DeploymentStrategy{Type:" + GoValue.quote(type)
          + ", RollingUpdate:" + (rolling == null ? "(*apps.RollingUpdateDeployment)(nil)" : "(*apps.RollingUpdateDeployment)(...)") + "}"),
          List.of("Recreate", "RollingUpdate")));
    }
  }

  /** Kubernetes' {@code ValidatePositiveIntOrPercent} (absent is fine: it is defaulted). */
  static void positiveIntOrPercent(Object v, FieldPath path, List<FieldError> errs) {
    if (v instanceof Number n) {
      if (n.longValue() < 0) {
        errs.add(FieldError.invalid(path, n.longValue(), Messages.IS_NEGATIVE));
      }
    } else if (v != null) {
      for (String msg : NetValidation.isValidPercent(v.toString())) {
        errs.add(FieldError.invalid(path, GoValue.intOrString(v), msg));
      }
    }
  }

  static void notMoreThan100Percent(Object v, FieldPath path, List<FieldError> errs) {
    if (v instanceof CharSequence cs && NetValidation.isValidPercent(cs.toString()).isEmpty()
        && intOrPercent(v) > 100) {
      errs.add(FieldError.invalid(path, GoValue.intOrString(v), "must not be greater than 100%"));
    }
  }

  /** The number in an int or {@code "N%"}, -1 when neither. */
  static long intOrPercent(Object v) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    String s = v == null ? "" : v.toString();
    if (s.endsWith("%")) {
      try {
        return Long.parseLong(s.substring(0, s.length() - 1));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  static void validateStatefulSet(GenericRecord spec, List<FieldError> errs) {
    String policy = s(spec, "podManagementPolicy");
    if (!policy.isEmpty() && !policy.equals("OrderedReady") && !policy.equals("Parallel")) {
      errs.add(FieldError.invalid(SPEC.child("podManagementPolicy"), policy, "must be 'OrderedReady' or 'Parallel'"));
    }
    GenericRecord strategy = rec(spec, "updateStrategy");
    String type = s(strategy, "type");
    GenericRecord rolling = rec(strategy, "rollingUpdate");
    switch (type) {
      case "" -> { }
      case "OnDelete" -> {
        if (rolling != null) {
          errs.add(FieldError.invalid(SPEC.child("updateStrategy", "rollingUpdate"),
              GoValue.literal("apps.RollingUpdateStatefulSetStrategy{...}"), "only allowed for updateStrategy 'RollingUpdate'"));
        }
      }
      case "RollingUpdate" -> {
        if (rolling != null) {
          nonNegative(rolling, "partition", SPEC.child("updateStrategy", "rollingUpdate"), errs);
        }
      }
      default -> errs.add(FieldError.invalid(SPEC.child("updateStrategy"),
          GoValue.literal("apps.StatefulSetUpdateStrategy{Type:" + GoValue.quote(type) + ", RollingUpdate:"
              + (rolling == null ? "(*apps.RollingUpdateStatefulSetStrategy)(nil)" : "(*apps.RollingUpdateStatefulSetStrategy)(...)") + "}"),
          "must be 'RollingUpdate' or 'OnDelete'"));
    }
    nonNegative(spec, "revisionHistoryLimit", SPEC, errs);
    nonNegative(spec, "replicas", SPEC, errs);
    nonNegative(spec, "minReadySeconds", SPEC, errs);
    GenericRecord ordinals = rec(spec, "ordinals");
    if (ordinals != null) {
      nonNegative(ordinals, "start", SPEC.child("ordinals"), errs);
    }
    GenericRecord retention = rec(spec, "persistentVolumeClaimRetentionPolicy");
    if (retention != null) {
      for (String f : List.of("whenDeleted", "whenScaled")) {
        String v = s(retention, f);
        if (!v.isEmpty() && !RETENTION.contains(v)) {
          errs.add(FieldError.notSupported(SPEC.child("persistentVolumeClaimRetentionPolicy", f), v, RETENTION));
        }
      }
    }
    GenericRecord selector = rec(spec, "selector");
    if (selector == null) {
      errs.add(FieldError.required(SPEC.child("selector"), ""));
    } else {
      SelectorValidation.validate(selector, SPEC.child("selector"), errs);
      if (SelectorValidation.isEmpty(selector)) {
        errs.add(FieldError.invalid(SPEC.child("selector"), SelectorValidation.goValue(selector), "empty selector is invalid for statefulset"));
      }
    }
    if (selector == null || SelectorValidation.convertible(selector)) {
      validateTemplate(spec, selector, "StatefulSet", errs);
    } else {
      errs.add(FieldError.invalid(SPEC.child("selector"), SelectorValidation.goValue(selector), "invalid label selector"));
    }
  }

  static void validateStatefulSetUpdate(GenericRecord spec, GenericRecord old, List<FieldError> errs) {
    GenericRecord a = spec == null ? null : new GenericData.Record((GenericData.Record) spec, true);
    if (a == null || old == null) {
      return;
    }
    for (String f : List.of("replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit",
        "persistentVolumeClaimRetentionPolicy", "minReadySeconds")) {
      if (a.getSchema().getField(f) != null) {
        a.put(f, Rec.raw(old, f));
      }
    }
    if (!Rec.deepEquals(a, old)) {
      errs.add(FieldError.forbidden(SPEC, STS_UPDATE_FORBIDDEN));
    }
  }

  static void validateDaemonSet(GenericRecord spec, List<FieldError> errs) {
    GenericRecord selector = rec(spec, "selector");
    if (selector == null) {
      errs.add(FieldError.required(SPEC.child("selector"), ""));
    } else {
      SelectorValidation.validate(selector, SPEC.child("selector"), errs);
      if (SelectorValidation.isEmpty(selector)) {
        errs.add(FieldError.invalid(SPEC.child("selector"), SelectorValidation.goValue(selector), "empty selector is invalid for daemonset"));
      }
    }
    GenericRecord template = rec(spec, "template");
    FieldPath tPath = SPEC.child("template");
    if (selector != null && SelectorValidation.convertible(selector)) {
      Map<String, String> labels = Rec.stringMap(rec(template, "metadata"), "labels");
      if (!SelectorValidation.matches(selector, labels == null ? Map.of() : labels)) {
        errs.add(FieldError.invalid(tPath.child("metadata", "labels"), GoValue.literal(GoValue.stringMap(labels)),
            "`selector` does not match template `labels`"));
      }
    }
    if (template == null) {
      errs.add(FieldError.required(tPath, ""));
    } else {
      PodValidation.validateTemplate(template, tPath, errs);
      restartAlwaysNoDeadline(rec(template, "spec"), tPath, "DaemonSet", errs);
    }
    nonNegative(spec, "minReadySeconds", SPEC, errs);
    validateDaemonSetStrategy(rec(spec, "updateStrategy"), SPEC.child("updateStrategy"), errs);
    nonNegative(spec, "revisionHistoryLimit", SPEC, errs);
  }

  private static void validateDaemonSetStrategy(GenericRecord strategy, FieldPath path, List<FieldError> errs) {
    String type = s(strategy, "type");
    GenericRecord rolling = rec(strategy, "rollingUpdate");
    switch (type) {
      case "", "OnDelete" -> { }
      case "RollingUpdate" -> {
        if (rolling == null) {
          return; // defaulted
        }
        FieldPath rp = path.child("rollingUpdate");
        Object maxUnavailable = Rec.raw(rolling, "maxUnavailable");
        Object maxSurge = Rec.raw(rolling, "maxSurge");
        boolean hasUnavailable = maxUnavailable != null && intOrPercent(maxUnavailable) != 0;
        boolean hasSurge = maxSurge != null && intOrPercent(maxSurge) != 0;
        if (hasUnavailable) {
          positiveIntOrPercent(maxUnavailable, rp.child("maxUnavailable"), errs);
          notMoreThan100Percent(maxUnavailable, rp.child("maxUnavailable"), errs);
        }
        if (hasSurge) {
          positiveIntOrPercent(maxSurge, rp.child("maxSurge"), errs);
          notMoreThan100Percent(maxSurge, rp.child("maxSurge"), errs);
        }
        if (hasUnavailable && hasSurge) {
          errs.add(FieldError.invalid(rp.child("maxSurge"), GoValue.intOrString(maxSurge), "may not be set when maxUnavailable is non-zero"));
        } else if (!hasUnavailable && !hasSurge && maxUnavailable != null) {
          errs.add(FieldError.required(rp.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
        }
      }
      default -> errs.add(FieldError.notSupported(path, GoValue.literal("apps.DaemonSetUpdateStrategy{Type:"
          + GoValue.quote(type) + ", RollingUpdate:" + (rolling == null ? "(*apps.RollingUpdateDaemonSet)(nil)"
          : "(*apps.RollingUpdateDaemonSet)(...)") + "}"), List.of("RollingUpdate", "OnDelete")));
    }
  }

  /** {@code spec.selector} may not change (apps/v1 and batch/v1). */
  static void selectorImmutable(GenericRecord spec, GenericRecord old, List<FieldError> errs) {
    GenericRecord sel = rec(spec, "selector");
    GenericRecord oldSel = rec(old, "selector");
    if (!Rec.deepEquals(sel, oldSel)) {
      errs.add(FieldError.invalid(SPEC.child("selector"), sel == null ? null : SelectorValidation.goValue(sel),
          Messages.FIELD_IMMUTABLE));
    }
  }
}
