package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.num;
import static io.kafkube.schemas.validation.Rec.rec;
import static io.kafkube.schemas.validation.Rec.s;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;

/** {@code spec.volumes}: unique DNS-label names, exactly one source each, the common sources' fields. */
final class VolumeValidation {
  /** Sources in the order Kubernetes' {@code validateVolumeSource} looks at them. */
  static final List<String> SOURCES = List.of("hostPath", "emptyDir", "gitRepo", "gcePersistentDisk",
      "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs", "flocker", "persistentVolumeClaim",
      "rbd", "quobyte", "flexVolume", "cinder", "cephfs", "downwardAPI", "fc", "azureFile",
      "vsphereVolume", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO",
      "configMap", "storageos", "csi", "ephemeral", "image");
  private static final String FILE_MODE_ERR = "must be a number between 0 and 0777 (octal), both inclusive";

  private VolumeValidation() {}

  /** Validates the volumes and returns their names (for volumeMounts). */
  static Set<String> validateVolumes(List<GenericRecord> volumes, FieldPath path, List<FieldError> errs) {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      GenericRecord v = volumes.get(i);
      FieldPath p = path.index(i);
      validateSource(v, p, errs);
      String name = s(v, "name");
      if (name.isEmpty()) {
        errs.add(FieldError.required(p.child("name"), ""));
      } else {
        for (String msg : NameValidation.isDns1123Label(name)) {
          errs.add(FieldError.invalid(p.child("name"), name, msg));
        }
      }
      if (!names.add(name)) {
        errs.add(FieldError.duplicate(p.child("name"), name));
      }
    }
    return names;
  }

  private static void validateSource(GenericRecord v, FieldPath p, List<FieldError> errs) {
    int count = 0;
    for (String source : SOURCES) {
      GenericRecord src = rec(v, source);
      if (src == null) {
        continue;
      }
      if (count > 0) {
        errs.add(FieldError.forbidden(p.child(source), "may not specify more than 1 volume type"));
        continue;
      }
      count++;
      FieldPath sp = p.child(source);
      switch (source) {
        case "hostPath" -> required(src, "path", sp, errs);
        case "secret" -> {
          required(src, "secretName", sp, errs);
          fileMode(src, "defaultMode", sp, errs);
        }
        case "configMap" -> {
          required(src, "name", sp, errs);
          fileMode(src, "defaultMode", sp, errs);
        }
        case "persistentVolumeClaim" -> required(src, "claimName", sp, errs);
        case "downwardAPI", "projected" -> fileMode(src, "defaultMode", sp, errs);
        case "emptyDir" -> {
          Object limit = Rec.raw(src, "sizeLimit");
          if (limit != null) {
            Quantity q = ResourceValidation.quantity(limit, sp.child("sizeLimit"), errs);
            if (q != null && q.signum() < 0) {
              errs.add(FieldError.forbidden(sp.child("sizeLimit"), "SizeLimit field must be a valid resource quantity"));
            }
          }
        }
        default -> { }
      }
    }
    if (count == 0) {
      errs.add(FieldError.required(p, "must specify a volume type"));
    }
  }

  private static void required(GenericRecord r, String f, FieldPath p, List<FieldError> errs) {
    if (s(r, f).isEmpty()) {
      errs.add(FieldError.required(p.child(f), ""));
    }
  }

  private static void fileMode(GenericRecord r, String f, FieldPath p, List<FieldError> errs) {
    Long mode = num(r, f);
    if (mode != null && (mode < 0 || mode > 0777)) {
      errs.add(FieldError.invalid(p.child(f), mode, FILE_MODE_ERR));
    }
  }
}
