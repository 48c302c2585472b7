package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.rec;
import static io.kafkube.schemas.validation.Rec.s;

import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** Roles, ClusterRoles and their bindings (rbac.authorization.k8s.io/v1). */
final class RbacValidation {
  static final String GROUP = "rbac.authorization.k8s.io";

  private RbacValidation() {}

  static void validateRules(GenericRecord role, boolean namespaced, List<FieldError> errs) {
    List<GenericRecord> rules = Rec.records(role, "rules");
    for (int i = 0; i < rules.size(); i++) {
      GenericRecord rule = rules.get(i);
      FieldPath p = FieldPath.of("rules").index(i);
      if (Rec.list(rule, "verbs").isEmpty()) {
        errs.add(FieldError.required(p.child("verbs"), "verbs must contain at least one value"));
      }
      List<String> urls = Rec.strings(rule, "nonResourceURLs");
      if (!urls.isEmpty()) {
        GoValue shown = GoValue.literal(GoValue.stringSlice(urls));
        if (namespaced) {
          errs.add(FieldError.invalid(p.child("nonResourceURLs"), shown, "namespaced rules cannot apply to non-resource URLs"));
        }
        if (!Rec.list(rule, "apiGroups").isEmpty() || !Rec.list(rule, "resources").isEmpty()
            || !Rec.list(rule, "resourceNames").isEmpty()) {
          errs.add(FieldError.invalid(p.child("nonResourceURLs"), shown,
              "rules cannot apply to both regular resources and non-resource URLs"));
        }
        continue;
      }
      if (Rec.list(rule, "apiGroups").isEmpty()) {
        errs.add(FieldError.required(p.child("apiGroups"), "resource rules must supply at least one api group"));
      }
      if (Rec.list(rule, "resources").isEmpty()) {
        errs.add(FieldError.required(p.child("resources"), "resource rules must supply at least one resource"));
      }
    }
  }

  static void validateBinding(GenericRecord binding, boolean namespaced, List<FieldError> errs) {
    GenericRecord ref = rec(binding, "roleRef");
    FieldPath refPath = FieldPath.of("roleRef");
    if (ref == null) {
      errs.add(FieldError.required(refPath, ""));
    } else {
      String apiGroup = s(ref, "apiGroup");
      if (!apiGroup.isEmpty() && !apiGroup.equals(GROUP)) {
        errs.add(FieldError.notSupported(refPath.child("apiGroup"), apiGroup, List.of(GROUP)));
      }
      String kind = s(ref, "kind");
      List<String> kinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
      if (!kinds.contains(kind)) {
        errs.add(FieldError.notSupported(refPath.child("kind"), kind, kinds));
      }
      String name = s(ref, "name");
      if (name.isEmpty()) {
        errs.add(FieldError.required(refPath.child("name"), ""));
      } else {
        for (String msg : NameValidation.isValidPathSegmentName(name)) {
          errs.add(FieldError.invalid(refPath.child("name"), name, msg));
        }
      }
    }
    List<GenericRecord> subjects = Rec.records(binding, "subjects");
    for (int i = 0; i < subjects.size(); i++) {
      validateSubject(subjects.get(i), namespaced, FieldPath.of("subjects").index(i), errs);
    }
  }

  private static void validateSubject(GenericRecord subject, boolean namespaced, FieldPath p, List<FieldError> errs) {
    String name = s(subject, "name");
    String apiGroup = s(subject, "apiGroup");
    if (name.isEmpty()) {
      errs.add(FieldError.required(p.child("name"), ""));
    }
    switch (s(subject, "kind")) {
      case "ServiceAccount" -> {
        if (!name.isEmpty()) {
          for (String msg : NameValidation.isDns1123Subdomain(name)) {
            errs.add(FieldError.invalid(p.child("name"), name, msg));
          }
        }
        if (!apiGroup.isEmpty()) {
          errs.add(FieldError.notSupported(p.child("apiGroup"), apiGroup, List.of("")));
        }
        if (!namespaced && s(subject, "namespace").isEmpty()) {
          errs.add(FieldError.required(p.child("namespace"), ""));
        }
      }
      case "User", "Group" -> {
        if (!apiGroup.isEmpty() && !apiGroup.equals(GROUP)) {
          errs.add(FieldError.notSupported(p.child("apiGroup"), apiGroup, List.of(GROUP)));
        }
      }
      default -> errs.add(FieldError.notSupported(p.child("kind"), s(subject, "kind"), List.of("ServiceAccount", "User", "Group")));
    }
  }

  static void validateBindingUpdate(GenericRecord binding, GenericRecord old, List<FieldError> errs) {
    GenericRecord ref = rec(binding, "roleRef");
    GenericRecord oldRef = rec(old, "roleRef");
    if (!Rec.deepEquals(ref, oldRef)) {
      errs.add(FieldError.invalid(FieldPath.of("roleRef"), GoValue.literal("rbac.RoleRef{APIGroup:"
          + GoValue.quote(s(ref, "apiGroup")) + ", Kind:" + GoValue.quote(s(ref, "kind")) + ", Name:"
          + GoValue.quote(s(ref, "name")) + "}"), "cannot change roleRef"));
    }
  }
}
