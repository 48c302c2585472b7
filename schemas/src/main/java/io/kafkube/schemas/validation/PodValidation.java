package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.num;
import static io.kafkube.schemas.validation.Rec.rec;
import static io.kafkube.schemas.validation.Rec.s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Pod specs (of Pods and of every pod template) and Pod updates. */
final class PodValidation {
  static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  private static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
  private static final List<String> PREEMPTION_POLICIES = List.of("PreemptLowerPriority", "Never");
  static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final long MAX_INT32 = Integer.MAX_VALUE;
  static final String POD_UPDATE_FORBIDDEN = "pod updates may not change fields other than "
      + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
      + "`spec.tolerations` (only additions to existing tolerations),"
      + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

  private PodValidation() {}

  /** Kubernetes' {@code ValidatePodSpec}. */
  static void validateSpec(GenericRecord spec, FieldPath path, List<FieldError> errs) {
    if (spec == null) {
      errs.add(FieldError.required(path.child("containers"), ""));
      return;
    }
    Set<String> volumes = VolumeValidation.validateVolumes(Rec.records(spec, "volumes"), path.child("volumes"), errs);
    List<GenericRecord> containers = Rec.records(spec, "containers");
    ContainerValidation.validateContainers(containers, volumes, path.child("containers"), errs);
    ContainerValidation.validateInitContainers(Rec.records(spec, "initContainers"), containers, volumes,
        path.child("initContainers"), errs);
    String restart = s(spec, "restartPolicy");
    ContainerValidation.enumValue(restart, RESTART_POLICIES, path.child("restartPolicy"), errs);
    ContainerValidation.enumValue(s(spec, "dnsPolicy"), DNS_POLICIES, path.child("dnsPolicy"), errs);
    Map<String, String> nodeSelector = Rec.stringMap(spec, "nodeSelector");
    if (nodeSelector != null) {
      errs.addAll(LabelValidation.validateLabels(nodeSelector, path.child("nodeSelector")));
    }
    subdomain(s(spec, "serviceAccountName"), path.child("serviceAccountName"), errs);
    subdomain(s(spec, "nodeName"), path.child("nodeName"), errs);
    subdomain(s(spec, "priorityClassName"), path.child("priorityClassName"), errs);
    label(s(spec, "hostname"), path.child("hostname"), errs);
    label(s(spec, "subdomain"), path.child("subdomain"), errs);
    validateTolerations(Rec.records(spec, "tolerations"), path.child("tolerations"), errs);
    Long deadline = num(spec, "activeDeadlineSeconds");
    if (deadline != null && (deadline < 1 || deadline > MAX_INT32)) {
      errs.add(FieldError.invalid(path.child("activeDeadlineSeconds"), deadline, Messages.inclusiveRange(1, MAX_INT32)));
    }
    ContainerValidation.enumValue(s(spec, "preemptionPolicy"), PREEMPTION_POLICIES, path.child("preemptionPolicy"), errs);
  }

  /** Kubernetes' {@code ValidatePodTemplateSpec}: template labels/annotations and the pod spec. */
  static void validateTemplate(GenericRecord template, FieldPath path, List<FieldError> errs) {
    errs.addAll(MetaValidation.validateTemplateMeta(rec(template, "metadata"), path));
    validateSpec(rec(template, "spec"), path.child("spec"), errs);
    if (!Rec.list(rec(template, "spec"), "ephemeralContainers").isEmpty()) {
      errs.add(FieldError.forbidden(path.child("spec", "ephemeralContainers"),
          "ephemeral containers not allowed in pod template"));
    }
  }

  private static void subdomain(String v, FieldPath p, List<FieldError> errs) {
    if (!v.isEmpty()) {
      for (String msg : NameValidation.isDns1123Subdomain(v)) {
        errs.add(FieldError.invalid(p, v, msg));
      }
    }
  }

  private static void label(String v, FieldPath p, List<FieldError> errs) {
    if (!v.isEmpty()) {
      for (String msg : NameValidation.isDns1123Label(v)) {
        errs.add(FieldError.invalid(p, v, msg));
      }
    }
  }

  static void validateTolerations(List<GenericRecord> tolerations, FieldPath path, List<FieldError> errs) {
    for (int i = 0; i < tolerations.size(); i++) {
      GenericRecord t = tolerations.get(i);
      FieldPath p = path.index(i);
      String key = s(t, "key");
      String operator = s(t, "operator");
      String value = s(t, "value");
      String effect = s(t, "effect");
      if (!key.isEmpty()) {
        errs.addAll(LabelValidation.validateLabelName(key, p.child("key")));
      }
      if (key.isEmpty() && !operator.equals("Exists")) {
        errs.add(FieldError.invalid(p.child("operator"), operator,
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
      }
      if (Rec.has(t, "tolerationSeconds") && !effect.equals("NoExecute")) {
        errs.add(FieldError.invalid(p.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
      }
      switch (operator) {
        case "Equal", "" -> {
          List<String> msgs = LabelValidation.isValidLabelValue(value);
          if (!msgs.isEmpty()) {
            errs.add(FieldError.invalid(p.child("operator"), value, String.join(";", msgs)));
          }
        }
        case "Exists" -> {
          if (!value.isEmpty()) {
            errs.add(FieldError.invalid(p.child("operator"), GoValue.literal(toleration(t)),
                "value must be empty when `operator` is 'Exists'"));
          }
        }
        default -> errs.add(FieldError.notSupported(p.child("operator"), operator, List.of("Equal", "Exists")));
      }
      if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
        errs.add(FieldError.notSupported(p.child("effect"), effect, TAINT_EFFECTS));
      }
    }
  }

  private static String toleration(GenericRecord t) {
    Long seconds = num(t, "tolerationSeconds");
    return "core.Toleration{Key:" + GoValue.quote(s(t, "key")) + ", Operator:" + GoValue.quote(s(t, "operator"))
        + ", Value:" + GoValue.quote(s(t, "value")) + ", Effect:" + GoValue.quote(s(t, "effect"))
        + ", TolerationSeconds:" + (seconds == null ? "(*int64)(nil)" : "(*int64)(" + seconds + ")") + "}";
  }

  /** Kubernetes' {@code ValidatePodUpdate} for the spec (metadata is checked by the caller). */
  static void validateUpdate(GenericRecord spec, GenericRecord oldSpec, List<FieldError> errs) {
    FieldPath specPath = FieldPath.of("spec");
    validateSpec(spec, specPath, errs);
    if (spec == null || oldSpec == null) {
      return;
    }
    List<GenericRecord> containers = Rec.records(spec, "containers");
    List<GenericRecord> oldContainers = Rec.records(oldSpec, "containers");
    if (containers.size() != oldContainers.size()) {
      errs.add(FieldError.forbidden(specPath.child("containers"), "pod updates may not add or remove containers"));
      return;
    }
    List<GenericRecord> inits = Rec.records(spec, "initContainers");
    List<GenericRecord> oldInits = Rec.records(oldSpec, "initContainers");
    if (inits.size() != oldInits.size()) {
      errs.add(FieldError.forbidden(specPath.child("initContainers"), "pod updates may not add or remove containers"));
      return;
    }
    for (int i = 0; i < containers.size(); i++) {
      if (s(containers.get(i), "image").isEmpty()) {
        errs.add(FieldError.required(specPath.child("containers").index(i).child("image"), ""));
      }
    }
    Long deadline = num(spec, "activeDeadlineSeconds");
    Long oldDeadline = num(oldSpec, "activeDeadlineSeconds");
    if (deadline != null) {
      if (deadline < 0 || deadline > MAX_INT32) {
        errs.add(FieldError.invalid(specPath.child("activeDeadlineSeconds"), deadline, Messages.inclusiveRange(0, MAX_INT32)));
        return;
      }
      if (oldDeadline != null && oldDeadline < deadline) {
        errs.add(FieldError.invalid(specPath.child("activeDeadlineSeconds"), deadline, "must be less than or equal to previous value"));
        return;
      }
    } else if (oldDeadline != null) {
      errs.add(FieldError.invalid(specPath.child("activeDeadlineSeconds"), null, "must not update from a positive integer to nil value"));
    }
    List<GenericRecord> tolerations = Rec.records(spec, "tolerations");
    for (GenericRecord old : Rec.records(oldSpec, "tolerations")) {
      boolean found = false;
      for (GenericRecord t : tolerations) {
        GenericRecord clone = new GenericData.Record((GenericData.Record) old, true);
        clone.put("tolerationSeconds", t.get("tolerationSeconds"));
        if (Rec.deepEquals(clone, t)) {
          found = true;
          break;
        }
      }
      if (!found) {
        errs.add(FieldError.forbidden(specPath.child("tolerations"), "existing toleration can not be modified except its tolerationSeconds"));
        break;
      }
    }
    // munge the mutable fields, then everything else must be equal
    GenericRecord munged = new GenericData.Record((GenericData.Record) spec, true);
    copyImages(munged, oldSpec, "containers");
    copyImages(munged, oldSpec, "initContainers");
    munged.put("activeDeadlineSeconds", oldSpec.get("activeDeadlineSeconds"));
    munged.put("tolerations", oldSpec.get("tolerations"));
    Long grace = num(spec, "terminationGracePeriodSeconds");
    Long oldGrace = num(oldSpec, "terminationGracePeriodSeconds");
    if (oldGrace != null && oldGrace < 0 && grace != null && grace == 1) {
      munged.put("terminationGracePeriodSeconds", oldSpec.get("terminationGracePeriodSeconds"));
    }
    if (Rec.containsAll(Rec.list(oldSpec, "schedulingGates"), Rec.list(spec, "schedulingGates"))) {
      munged.put("schedulingGates", oldSpec.get("schedulingGates")); // gates may only be removed
    }
    if (!Rec.deepEquals(munged, oldSpec)) {
      errs.add(FieldError.forbidden(specPath, POD_UPDATE_FORBIDDEN + "\n" + SpecDiff.diff("core.PodSpec", oldSpec, munged)));
    }
  }

  private static void copyImages(GenericRecord munged, GenericRecord oldSpec, String field) {
    List<GenericRecord> now = Rec.records(munged, field);
    List<GenericRecord> old = Rec.records(oldSpec, field);
    for (int i = 0; i < now.size() && i < old.size(); i++) {
      now.get(i).put("image", old.get(i).get("image"));
    }
  }

  /** A short account of the fields that differ, in the spirit of the {@code cmp.Diff} Kubernetes appends. */
  static final class SpecDiff {
    private SpecDiff() {}

    static String diff(String goType, GenericRecord old, GenericRecord now) {
      List<String> lines = new ArrayList<>();
      lines.add("  " + goType + "{");
      for (Schema.Field f : old.getSchema().getFields()) {
        Object a = old.get(f.pos());
        Object b = Rec.raw(now, f.name());
        if (!Rec.deepEquals(a, b)) {
          String goName = Character.toUpperCase(f.name().charAt(0)) + f.name().substring(1);
          lines.add("- \t" + goName + ": " + show(a) + ",");
          lines.add("+ \t" + goName + ": " + show(b) + ",");
        }
      }
      lines.add("  }");
      return String.join("\n", lines) + "\n";
    }

    private static String show(Object v) {
      if (v instanceof GenericRecord || v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof GenericRecord) {
        return "{...}";
      }
      return GoValue.format(v);
    }
  }
}
