package io.kafkube.schemas.validation;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/** Quantities and container resource requirements ({@code resources.limits/requests}). */
final class ResourceValidation {
  private ResourceValidation() {}

  /** The parsed quantity, or null after reporting {@code path: Invalid value: "12x": quantities must match …}. */
  static Quantity quantity(Object raw, FieldPath path, List<FieldError> errs) {
    String s = raw == null ? "" : raw.toString();
    try {
      return Quantity.parse(s);
    } catch (NumberFormatException e) {
      errs.add(FieldError.invalid(path, s, e.getMessage()));
      return null;
    }
  }

  /** Kubernetes' {@code ValidateResourceQuantityValue}: not negative, whole for integer resources. */
  static void validateQuantityValue(String resource, Quantity q, FieldPath path, List<FieldError> errs) {
    if (q.signum() < 0) {
      errs.add(FieldError.invalid(path, q.toString(), Messages.IS_NEGATIVE));
    }
    if (isIntegerResource(resource) && q.milliValue() % 1000 != 0) {
      errs.add(FieldError.invalid(path, q.toString(), Messages.IS_NOT_INTEGER));
    }
  }

  static void validatePositive(Quantity q, FieldPath path, List<FieldError> errs) {
    if (q.signum() <= 0) {
      errs.add(FieldError.invalid(path, q.toString(), Messages.IS_NOT_POSITIVE));
    }
  }

  /** A container's {@code resources}. */
  static void validateContainerResources(GenericRecord resources, FieldPath path, List<FieldError> errs) {
    if (resources == null) {
      return;
    }
    FieldPath limPath = path.child("limits");
    FieldPath reqPath = path.child("requests");
    Map<String, Quantity> limits = new TreeMap<>();
    for (Map.Entry<String, Object> e : new TreeMap<>(Rec.map(resources, "limits")).entrySet()) {
      FieldPath p = limPath.key(e.getKey());
      validateContainerResourceName(e.getKey(), p, errs);
      Quantity q = quantity(e.getValue(), p, errs);
      if (q != null) {
        validateQuantityValue(e.getKey(), q, p, errs);
        limits.put(e.getKey(), q);
      }
    }
    for (Map.Entry<String, Object> e : new TreeMap<>(Rec.map(resources, "requests")).entrySet()) {
      String name = e.getKey();
      FieldPath p = reqPath.key(name);
      validateContainerResourceName(name, p, errs);
      Quantity q = quantity(e.getValue(), p, errs);
      if (q == null) {
        continue;
      }
      validateQuantityValue(name, q, p, errs);
      Quantity limit = limits.get(name);
      if (limit != null) {
        if (q.compareTo(limit) != 0 && !isOvercommitAllowed(name)) {
          errs.add(FieldError.invalid(reqPath, q.toString(),
              "must be equal to " + name + " limit of " + limit));
        } else if (q.compareTo(limit) > 0) {
          errs.add(FieldError.invalid(reqPath, q.toString(),
              "must be less than or equal to " + name + " limit of " + limit));
        }
      } else if (!isOvercommitAllowed(name) && !Rec.map(resources, "limits").containsKey(name)) {
        errs.add(FieldError.required(limPath, "Limit must be set for non overcommitable resources"));
      }
    }
  }

  private static void validateContainerResourceName(String name, FieldPath path, List<FieldError> errs) {
    for (String msg : LabelValidation.isQualifiedName(name)) {
      errs.add(FieldError.invalid(path, name, msg));
    }
    if (!name.contains("/")) {
      if (!isStandardContainerResource(name)) {
        errs.add(FieldError.invalid(path, name, "must be a standard resource for containers"));
      }
    } else if (!isNative(name) && !isExtendedResourceName(name)) {
      errs.add(FieldError.invalid(path, name, "doesn't follow extended resource name standard"));
    }
  }

  static boolean isStandardContainerResource(String name) {
    return name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage")
        || name.startsWith("hugepages-");
  }

  private static boolean isNative(String name) {
    return !name.contains("/") || name.contains("kubernetes.io/");
  }

  private static boolean isExtendedResourceName(String name) {
    return !isNative(name) && !name.startsWith("requests.")
        && LabelValidation.isQualifiedName("requests." + name).isEmpty();
  }

  /** Extended resources (and hugepages) may not be overcommitted: request must equal limit. */
  private static boolean isOvercommitAllowed(String name) {
    return isNative(name) && !name.startsWith("hugepages-");
  }

  private static boolean isIntegerResource(String name) {
    return isExtendedResourceName(name);
  }
}
