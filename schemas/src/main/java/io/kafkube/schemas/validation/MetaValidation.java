package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.num;
import static io.kafkube.schemas.validation.Rec.s;

import io.kafkube.schemas.validation.NameValidation.NameRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;

/** {@code metadata} (ObjectMeta) on create and update, as Kubernetes' {@code ValidateObjectMeta(Update)}. */
final class MetaValidation {
  static final FieldPath METADATA = FieldPath.of("metadata");
  private static final String ORPHAN = "orphan";
  private static final String FOREGROUND = "foregroundDeletion";

  private MetaValidation() {}

  static void validateCreate(GenericRecord meta, boolean namespaced, NameRule rule, List<FieldError> errs) {
    String generateName = s(meta, "generateName");
    String name = s(meta, "name");
    if (!generateName.isEmpty()) {
      for (String msg : rule.validate(generateName, true)) {
        errs.add(FieldError.invalid(METADATA.child("generateName"), generateName, msg));
      }
    }
    if (name.isEmpty()) {
      if (generateName.isEmpty()) {
        errs.add(FieldError.required(METADATA.child("name"), "name or generateName is required"));
      }
      // else: the name is generated from generateName before the object is stored
    } else {
      for (String msg : rule.validate(name, false)) {
        errs.add(FieldError.invalid(METADATA.child("name"), name, msg));
      }
    }
    String namespace = s(meta, "namespace");
    if (namespaced) {
      if (namespace.isEmpty()) {
        errs.add(FieldError.required(METADATA.child("namespace"), ""));
      } else {
        for (String msg : NameValidation.DNS_LABEL.validate(namespace, false)) {
          errs.add(FieldError.invalid(METADATA.child("namespace"), namespace, msg));
        }
      }
    } else if (!namespace.isEmpty()) {
      errs.add(FieldError.forbidden(METADATA.child("namespace"), "not allowed on this type"));
    }
    Long generation = num(meta, "generation");
    if (generation != null && generation < 0) {
      errs.add(FieldError.invalid(METADATA.child("generation"), generation, Messages.IS_NEGATIVE));
    }
    validateCommon(meta, errs);
  }

  static void validateUpdate(GenericRecord meta, GenericRecord old, List<FieldError> errs) {
    if (num(old, "deletionTimestamp") != null) {
      TreeSet<String> added = new TreeSet<>(Rec.strings(meta, "finalizers"));
      added.removeAll(Rec.strings(old, "finalizers"));
      if (!added.isEmpty()) {
        errs.add(FieldError.forbidden(METADATA.child("finalizers"),
            "no new finalizers can be added if the object is being deleted, found new finalizers "
                + GoValue.stringSlice(added)));
      }
    }
    Long gen = num(meta, "generation");
    Long oldGen = num(old, "generation");
    if (gen != null && oldGen != null && gen < oldGen) {
      errs.add(FieldError.invalid(METADATA.child("generation"), gen, "must not be decremented"));
    }
    immutable(s(meta, "name"), s(old, "name"), "name", errs);
    immutable(s(meta, "namespace"), s(old, "namespace"), "namespace", errs);
    // uid and creationTimestamp are set by the store: an update that leaves them out keeps them
    if (!s(meta, "uid").isEmpty()) {
      immutable(s(meta, "uid"), s(old, "uid"), "uid", errs);
    }
    Long created = num(meta, "creationTimestamp");
    if (created != null && !created.equals(num(old, "creationTimestamp"))) {
      errs.add(FieldError.invalid(METADATA.child("creationTimestamp"), created, Messages.FIELD_IMMUTABLE));
    }
    validateCommon(meta, errs);
  }

  private static void immutable(String now, String before, String field, List<FieldError> errs) {
    if (!now.equals(before)) {
      errs.add(FieldError.invalid(METADATA.child(field), now, Messages.FIELD_IMMUTABLE));
    }
  }

  private static void validateCommon(GenericRecord meta, List<FieldError> errs) {
    Map<String, String> labels = Rec.stringMap(meta, "labels");
    if (labels != null) {
      errs.addAll(LabelValidation.validateLabels(labels, METADATA.child("labels")));
    }
    Map<String, String> annotations = Rec.stringMap(meta, "annotations");
    if (annotations != null) {
      errs.addAll(LabelValidation.validateAnnotations(annotations, METADATA.child("annotations")));
    }
    validateOwnerReferences(Rec.records(meta, "ownerReferences"), METADATA.child("ownerReferences"), errs);
    validateFinalizers(Rec.strings(meta, "finalizers"), METADATA.child("finalizers"), errs);
  }

  private static void validateOwnerReferences(List<GenericRecord> refs, FieldPath path, List<FieldError> errs) {
    String firstController = "";
    for (GenericRecord ref : refs) {
      String apiVersion = s(ref, "apiVersion");
      String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
      if (version.isEmpty()) {
        errs.add(FieldError.invalid(path.child("apiVersion"), apiVersion, "version must not be empty"));
      }
      if (s(ref, "kind").isEmpty()) {
        errs.add(FieldError.invalid(path.child("kind"), "", "must not be empty"));
      }
      if (s(ref, "name").isEmpty()) {
        errs.add(FieldError.invalid(path.child("name"), "", "must not be empty"));
      }
      if (s(ref, "uid").isEmpty()) {
        errs.add(FieldError.invalid(path.child("uid"), "", "must not be empty"));
      }
      if (Rec.isTrue(ref, "controller")) {
        String current = s(ref, "kind") + "/" + s(ref, "name");
        if (!firstController.isEmpty()) {
          errs.add(FieldError.invalid(path, GoValue.literal("[]v1.OwnerReference{...}"),
              "Only one reference can have Controller set to true. Found \"true\" in references for "
                  + firstController + " and " + current));
        } else {
          firstController = current;
        }
      }
    }
  }

  static void validateFinalizers(List<String> finalizers, FieldPath path, List<FieldError> errs) {
    for (String f : finalizers) {
      for (String msg : LabelValidation.isQualifiedName(f)) {
        errs.add(FieldError.invalid(path, f, msg));
      }
    }
    if (finalizers.contains(ORPHAN) && finalizers.contains(FOREGROUND)) {
      errs.add(FieldError.invalid(path, GoValue.literal(GoValue.stringSlice(finalizers)),
          "finalizer " + ORPHAN + " and " + FOREGROUND + " cannot be both set"));
    }
  }

  /** A pod template's metadata: labels and annotations only (the template has no name). */
  static List<FieldError> validateTemplateMeta(GenericRecord meta, FieldPath templatePath) {
    List<FieldError> errs = new ArrayList<>(0);
    Map<String, String> labels = Rec.stringMap(meta, "labels");
    if (labels != null) {
      errs.addAll(LabelValidation.validateLabels(labels, templatePath.child("labels")));
    }
    Map<String, String> annotations = Rec.stringMap(meta, "annotations");
    if (annotations != null) {
      errs.addAll(LabelValidation.validateAnnotations(annotations, templatePath.child("annotations")));
    }
    return errs;
  }
}
