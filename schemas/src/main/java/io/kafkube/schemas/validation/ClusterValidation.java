package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.num;
import static io.kafkube.schemas.validation.Rec.rec;
import static io.kafkube.schemas.validation.Rec.s;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/** Namespace, Node, Lease, PriorityClass and PodDisruptionBudget. */
final class ClusterValidation {
  private static final List<String> STANDARD_FINALIZERS = List.of("kubernetes", "orphan", "foregroundDeletion");
  static final long HIGHEST_USER_PRIORITY = 1_000_000_000L;
  private static final Map<String, Long> SYSTEM_CLASSES = Map.of(
      "system-node-critical", 2_000_001_000L, "system-cluster-critical", 2_000_000_000L);
  private static final List<String> PREEMPTION_POLICIES = List.of("PreemptLowerPriority", "Never");
  private static final List<String> UNHEALTHY_POD_EVICTION = List.of("AlwaysAllow", "IfHealthyBudget");

  private ClusterValidation() {}

  static void validateNamespace(GenericRecord ns, List<FieldError> errs) {
    FieldPath p = FieldPath.of("spec", "finalizers");
    for (String f : Rec.strings(rec(ns, "spec"), "finalizers")) {
      for (String msg : LabelValidation.isQualifiedName(f)) {
        errs.add(FieldError.invalid(p, f, msg));
      }
      if (!f.contains("/") && !STANDARD_FINALIZERS.contains(f)) {
        errs.add(FieldError.invalid(p, f, "name is neither a standard finalizer name nor is it fully qualified"));
      }
    }
  }

  static void validateNode(GenericRecord node, List<FieldError> errs) {
    GenericRecord spec = rec(node, "spec");
    List<GenericRecord> taints = Rec.records(spec, "taints");
    Set<String> unique = new HashSet<>();
    for (int i = 0; i < taints.size(); i++) {
      GenericRecord t = taints.get(i);
      FieldPath p = FieldPath.of("spec", "taints").index(i);
      errs.addAll(LabelValidation.validateLabelName(s(t, "key"), p.child("key")));
      List<String> msgs = LabelValidation.isValidLabelValue(s(t, "value"));
      if (!msgs.isEmpty()) {
        errs.add(FieldError.invalid(p.child("value"), s(t, "value"), String.join(";", msgs)));
      }
      String effect = s(t, "effect");
      if (effect.isEmpty()) {
        errs.add(FieldError.required(p.child("effect"), ""));
      } else if (!PodValidation.TAINT_EFFECTS.contains(effect)) {
        errs.add(FieldError.notSupported(p.child("effect"), effect, PodValidation.TAINT_EFFECTS));
      }
      if (!unique.add(effect + "\u0000" + s(t, "key"))) {
        errs.add(new FieldError(p.toString(), ErrorType.DUPLICATE, GoValue.literal("core.Taint{Key:" + GoValue.quote(s(t, "key"))
            + ", Value:" + GoValue.quote(s(t, "value")) + ", Effect:" + GoValue.quote(effect) + ", TimeAdded:(*v1.Time)(nil)}"),
            "taints must be unique by key and effect pair"));
      }
    }
    GenericRecord status = rec(node, "status");
    for (String f : List.of("capacity", "allocatable")) {
      for (Map.Entry<String, Object> e : new TreeMap<>(Rec.map(status, f)).entrySet()) {
        FieldPath p = FieldPath.of("status", f).key(e.getKey());
        Quantity q = ResourceValidation.quantity(e.getValue(), p, errs);
        if (q != null) {
          ResourceValidation.validateQuantityValue(e.getKey(), q, p, errs);
        }
      }
    }
    String podCIDR = s(spec, "podCIDR");
    if (!podCIDR.isEmpty() && !isCIDR(podCIDR)) {
      errs.add(FieldError.invalid(FieldPath.of("spec", "podCIDRs").index(0), podCIDR, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
    }
  }

  private static boolean isCIDR(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String ip = s.substring(0, slash);
    try {
      int bits = Integer.parseInt(s.substring(slash + 1));
      return NetValidation.parseIPv4(ip) ? bits >= 0 && bits <= 32 : NetValidation.parseIPv6(ip) && bits >= 0 && bits <= 128;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static void validateLease(GenericRecord spec, List<FieldError> errs) {
    Long duration = num(spec, "leaseDurationSeconds");
    if (duration != null && duration <= 0) {
      errs.add(FieldError.invalid(FieldPath.of("spec", "leaseDurationSeconds"), duration, "must be greater than 0"));
    }
    Long transitions = num(spec, "leaseTransitions");
    if (transitions != null && transitions < 0) {
      errs.add(FieldError.invalid(FieldPath.of("spec", "leaseTransitions"), transitions, Messages.IS_NEGATIVE));
    }
  }

  static void validatePriorityClass(GenericRecord pc, List<FieldError> errs) {
    String name = Rec.s(rec(pc, "metadata"), "name");
    long value = num(pc, "value") == null ? 0 : num(pc, "value");
    boolean globalDefault = Rec.isTrue(pc, "globalDefault");
    if (name.startsWith("system-")) {
      Long expected = SYSTEM_CLASSES.get(name);
      String err = null;
      if (expected == null) {
        err = name + " is not a known system priority class";
      } else if (expected != value) {
        err = "value of " + name + " PriorityClass must be " + expected;
      } else if (globalDefault) {
        err = "globalDefault of " + name + " PriorityClass must be false";
      }
      if (err != null) {
        errs.add(FieldError.forbidden(FieldPath.of("metadata", "name"),
            "priority class names with 'system-' prefix are reserved for system use only. error: " + err));
      }
    } else if (value > HIGHEST_USER_PRIORITY) {
      errs.add(FieldError.forbidden(FieldPath.of("value"), "maximum allowed value of a user defined priority is " + HIGHEST_USER_PRIORITY));
    }
    ContainerValidation.enumValue(s(pc, "preemptionPolicy"), PREEMPTION_POLICIES, FieldPath.of("preemptionPolicy"), errs);
  }

  static void validatePriorityClassUpdate(GenericRecord pc, GenericRecord old, List<FieldError> errs) {
    if (!Rec.deepEquals(Rec.raw(pc, "value"), Rec.raw(old, "value"))) {
      errs.add(FieldError.forbidden(FieldPath.of("value"), "may not be changed in an update."));
    }
    if (Rec.has(pc, "preemptionPolicy") && !s(pc, "preemptionPolicy").equals(s(old, "preemptionPolicy"))) {
      errs.add(FieldError.invalid(FieldPath.of("preemptionPolicy"), s(pc, "preemptionPolicy"), Messages.FIELD_IMMUTABLE));
    }
  }

  static void validatePodDisruptionBudget(GenericRecord spec, List<FieldError> errs) {
    FieldPath p = FieldPath.of("spec");
    Object minAvailable = Rec.raw(spec, "minAvailable");
    Object maxUnavailable = Rec.raw(spec, "maxUnavailable");
    if (minAvailable != null && maxUnavailable != null) {
      errs.add(FieldError.invalid(p, GoValue.literal("policy.PodDisruptionBudgetSpec{...}"), "minAvailable and maxUnavailable cannot be both set"));
    }
    if (minAvailable != null) {
      WorkloadValidation.positiveIntOrPercent(minAvailable, p.child("minAvailable"), errs);
      WorkloadValidation.notMoreThan100Percent(minAvailable, p.child("minAvailable"), errs);
    }
    if (maxUnavailable != null) {
      WorkloadValidation.positiveIntOrPercent(maxUnavailable, p.child("maxUnavailable"), errs);
      WorkloadValidation.notMoreThan100Percent(maxUnavailable, p.child("maxUnavailable"), errs);
    }
    SelectorValidation.validate(rec(spec, "selector"), p.child("selector"), errs);
    ContainerValidation.enumValue(s(spec, "unhealthyPodEvictionPolicy"), UNHEALTHY_POD_EVICTION,
        p.child("unhealthyPodEvictionPolicy"), errs);
  }
}
