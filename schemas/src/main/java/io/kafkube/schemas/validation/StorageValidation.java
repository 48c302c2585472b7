package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.rec;
import static io.kafkube.schemas.validation.Rec.s;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** PersistentVolumes and PersistentVolumeClaims. */
final class StorageValidation {
  private static final FieldPath SPEC = FieldPath.of("spec");
  static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
  private static final List<String> RECLAIM = List.of("Delete", "Recycle", "Retain");
  private static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
  private static final List<String> PV_SOURCES = List.of("gcePersistentDisk", "awsElasticBlockStore", "hostPath",
      "glusterfs", "nfs", "rbd", "quobyte", "iscsi", "cinder", "cephfs", "fc", "flocker", "flexVolume",
      "azureFile", "vsphereVolume", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO",
      "local", "storageos", "csi");
  static final String PVC_IMMUTABLE = "spec is immutable after creation except resources.requests and "
      + "volumeAttributesClassName for bound claims";

  private StorageValidation() {}

  private static final List<String> CLASS_RECLAIM = List.of("Delete", "Retain");
  private static final List<String> BINDING_MODES = List.of("Immediate", "WaitForFirstConsumer");

  /** kube's ValidateStorageClass: a provisioner, and known reclaimPolicy and volumeBindingMode values. */
  static void validateStorageClass(GenericRecord sc, List<FieldError> errs) {
    String provisioner = s(sc, "provisioner");
    if (provisioner.isEmpty()) {
      errs.add(FieldError.required(FieldPath.of("provisioner"), ""));
    }
    String reclaim = s(sc, "reclaimPolicy");
    if (!reclaim.isEmpty() && !CLASS_RECLAIM.contains(reclaim)) {
      errs.add(FieldError.notSupported(FieldPath.of("reclaimPolicy"), reclaim, CLASS_RECLAIM));
    }
    String mode = s(sc, "volumeBindingMode");
    if (mode.isEmpty()) {
      errs.add(FieldError.required(FieldPath.of("volumeBindingMode"), ""));
    } else if (!BINDING_MODES.contains(mode)) {
      errs.add(FieldError.notSupported(FieldPath.of("volumeBindingMode"), mode, BINDING_MODES));
    }
  }

  /** kube's ValidateStorageClassUpdate: parameters, provisioner, reclaimPolicy and volumeBindingMode are fixed. */
  static void validateStorageClassUpdate(GenericRecord sc, GenericRecord old, List<FieldError> errs) {
    if (!String.valueOf(new TreeMap<>(Rec.map(sc, "parameters"))).equals(
        String.valueOf(new TreeMap<>(Rec.map(old, "parameters"))))) {
      errs.add(FieldError.forbidden(FieldPath.of("parameters"), "updates to parameters are forbidden."));
    }
    if (!s(sc, "provisioner").equals(s(old, "provisioner"))) {
      errs.add(FieldError.forbidden(FieldPath.of("provisioner"), "updates to provisioner are forbidden."));
    }
    if (!s(sc, "reclaimPolicy").equals(s(old, "reclaimPolicy"))) {
      errs.add(FieldError.forbidden(FieldPath.of("reclaimPolicy"), "updates to reclaimPolicy are forbidden."));
    }
    if (!s(sc, "volumeBindingMode").equals(s(old, "volumeBindingMode"))) {
      errs.add(FieldError.invalid(FieldPath.of("volumeBindingMode"), s(sc, "volumeBindingMode"), "field is immutable"));
    }
  }

  static void validatePersistentVolume(GenericRecord spec, List<FieldError> errs) {
    accessModes(spec, SPEC, "", errs);
    Map<String, Object> capacity = new TreeMap<>(Rec.map(spec, "capacity"));
    if (capacity.isEmpty()) {
      errs.add(FieldError.required(SPEC.child("capacity"), ""));
    }
    if (!capacity.containsKey("storage") || capacity.size() > 1) {
      errs.add(FieldError.notSupported(SPEC.child("capacity"), GoValue.literal(quantityMap(capacity)), List.of("storage")));
    }
    for (Map.Entry<String, Object> e : capacity.entrySet()) {
      FieldPath p = SPEC.child("capacity").key(e.getKey());
      Quantity q = ResourceValidation.quantity(e.getValue(), p, errs);
      if (q != null) {
        ResourceValidation.validatePositive(q, p, errs);
      }
    }
    String sc = s(spec, "storageClassName");
    if (!sc.isEmpty()) {
      for (String msg : NameValidation.isDns1123Subdomain(sc)) {
        errs.add(FieldError.invalid(SPEC.child("storageClassName"), sc, msg));
      }
    }
    ContainerValidation.enumValue(s(spec, "volumeMode"), VOLUME_MODES, SPEC.child("volumeMode"), errs);
    ContainerValidation.enumValue(s(spec, "persistentVolumeReclaimPolicy"), RECLAIM, SPEC.child("persistentVolumeReclaimPolicy"), errs);
    int sources = 0;
    for (String src : PV_SOURCES) {
      if (rec(spec, src) == null) {
        continue;
      }
      if (sources > 0) {
        errs.add(FieldError.forbidden(SPEC.child(src), "may not specify more than 1 volume type"));
      }
      sources++;
      if (src.equals("hostPath") || src.equals("local")) {
        if (s(rec(spec, src), "path").isEmpty()) {
          errs.add(FieldError.required(SPEC.child(src, "path"), ""));
        }
      }
    }
    if (sources == 0) {
      errs.add(FieldError.required(SPEC, "must specify a volume type"));
    }
  }

  static void validateClaimSpec(GenericRecord spec, FieldPath path, List<FieldError> errs) {
    accessModes(spec, path, "at least 1 access mode is required", errs);
    GenericRecord selector = rec(spec, "selector");
    if (selector != null) {
      SelectorValidation.validate(selector, path.child("selector"), errs);
    }
    Map<String, Object> requests = Rec.map(rec(spec, "resources"), "requests");
    FieldPath storagePath = path.child("resources").key("storage");
    Object storage = requests.get("storage");
    if (storage == null) {
      errs.add(FieldError.required(storagePath, ""));
    } else {
      Quantity q = ResourceValidation.quantity(storage, storagePath, errs);
      if (q != null) {
        List<FieldError> positive = new java.util.ArrayList<>();
        ResourceValidation.validatePositive(q, storagePath, positive);
        if (!positive.isEmpty()) {
          errs.addAll(positive);
        } else {
          ResourceValidation.validateQuantityValue("storage", q, storagePath, errs);
        }
      }
    }
    String sc = s(spec, "storageClassName");
    if (!sc.isEmpty()) {
      for (String msg : NameValidation.isDns1123Subdomain(sc)) {
        errs.add(FieldError.invalid(path.child("storageClassName"), sc, msg));
      }
    }
    ContainerValidation.enumValue(s(spec, "volumeMode"), VOLUME_MODES, path.child("volumeMode"), errs);
  }

  private static void accessModes(GenericRecord spec, FieldPath path, String requiredDetail, List<FieldError> errs) {
    List<String> modes = Rec.strings(spec, "accessModes");
    if (modes.isEmpty()) {
      errs.add(FieldError.required(path.child("accessModes"), requiredDetail));
    }
    for (String m : modes) {
      if (!ACCESS_MODES.contains(m)) {
        errs.add(FieldError.notSupported(path.child("accessModes"), m, ACCESS_MODES));
      }
    }
    if (modes.contains("ReadWriteOncePod") && modes.size() > 1) {
      errs.add(FieldError.forbidden(path.child("accessModes"), "may not use ReadWriteOncePod with other access modes"));
    }
  }

  /** A claim's spec is immutable, except volumeName once and the storage request of a bound claim. */
  static void validateClaimUpdate(GenericRecord pvc, GenericRecord old, List<FieldError> errs) {
    GenericRecord spec = rec(pvc, "spec");
    GenericRecord oldSpec = rec(old, "spec");
    if (spec == null || oldSpec == null) {
      return;
    }
    GenericRecord a = new GenericData.Record((GenericData.Record) spec, true);
    GenericRecord b = new GenericData.Record((GenericData.Record) oldSpec, true);
    if (s(oldSpec, "volumeName").isEmpty()) {
      b.put("volumeName", a.get("volumeName"));
    }
    if (s(oldSpec, "storageClassName").isEmpty() && !Rec.has(oldSpec, "storageClassName")) {
      b.put("storageClassName", a.get("storageClassName"));
    }
    boolean bound = "Bound".equals(s(rec(pvc, "status"), "phase"));
    GenericRecord res = rec(a, "resources");
    if (bound && res != null && res.get("requests") instanceof Map<?, ?> req) {
      @SuppressWarnings("unchecked")
      Map<Object, Object> m = (Map<Object, Object>) req;
      m.put("storage", Rec.map(rec(oldSpec, "resources"), "requests").get("storage"));
      if (m.get("storage") == null) {
        m.remove("storage");
      }
    }
    if (!Rec.deepEquals(a, b)) {
      errs.add(FieldError.forbidden(SPEC, PVC_IMMUTABLE + "\n" + PodValidation.SpecDiff.diff("core.PersistentVolumeClaimSpec", b, a)));
    }
    Object newSize = Rec.map(rec(spec, "resources"), "requests").get("storage");
    Object oldSize = Rec.map(rec(oldSpec, "resources"), "requests").get("storage");
    if (newSize != null && oldSize != null && Quantity.parseError(newSize.toString()).isEmpty()
        && Quantity.parseError(oldSize.toString()).isEmpty()
        && Quantity.parse(newSize.toString()).compareTo(Quantity.parse(oldSize.toString())) < 0) {
      errs.add(FieldError.forbidden(SPEC.child("resources", "requests", "storage"), "field can not be less than previous value"));
    }
  }

  private static String quantityMap(Map<String, Object> m) {
    StringBuilder sb = new StringBuilder("core.ResourceList{");
    boolean first = true;
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(GoValue.quote(e.getKey())).append(':').append(e.getValue());
    }
    return sb.append('}').toString();
  }
}
