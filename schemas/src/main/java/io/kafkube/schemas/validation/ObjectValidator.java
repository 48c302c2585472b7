package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.rec;

import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;

/**
 * Validates objects of the served kinds as Kubernetes 1.32 does on create and update, returning
 * the field errors of a 422 answer (empty when the object is valid). Expects defaulted objects
 * ({@link Defaulter#applyDefaults}) as Kubernetes does; fields that defaulting fills are not
 * reported as missing. Pure and thread-safe; the inputs are not modified.
 */
public final class ObjectValidator {
  private ObjectValidator() {}

  public static List<FieldError> validateCreate(ResourceType type, GenericRecord obj) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(obj, "obj");
    List<FieldError> errs = new ArrayList<>();
    MetaValidation.validateCreate(Meta.metadata(obj), type.namespaced(), NameValidation.ruleFor(type), errs);
    validateKind(type, obj, null, errs);
    return Collections.unmodifiableList(errs);
  }

  public static List<FieldError> validateUpdate(ResourceType type, GenericRecord obj, GenericRecord old) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(obj, "obj");
    Objects.requireNonNull(old, "old");
    List<FieldError> errs = new ArrayList<>();
    MetaValidation.validateUpdate(Meta.metadata(obj), Meta.metadata(old), errs);
    validateKind(type, obj, old, errs);
    return Collections.unmodifiableList(errs);
  }

  private static void validateKind(ResourceType type, GenericRecord obj, GenericRecord old, List<FieldError> errs) {
    GenericRecord spec = rec(obj, "spec");
    GenericRecord oldSpec = old == null ? null : rec(old, "spec");
    boolean update = old != null;
    switch (type.kind()) {
      case "Pod" -> {
        if (update) {
          PodValidation.validateUpdate(spec, oldSpec, errs);
        } else {
          PodValidation.validateSpec(spec, FieldPath.of("spec"), errs);
        }
      }
      case "Deployment" -> {
        WorkloadValidation.validateDeployment(spec, errs);
        if (update) {
          WorkloadValidation.selectorImmutable(spec, oldSpec, errs);
        }
      }
      case "ReplicaSet" -> {
        WorkloadValidation.validateReplicaSet(spec, errs);
        if (update) {
          WorkloadValidation.selectorImmutable(spec, oldSpec, errs);
        }
      }
      case "StatefulSet" -> {
        WorkloadValidation.validateStatefulSet(spec, errs);
        if (update) {
          WorkloadValidation.validateStatefulSetUpdate(spec, oldSpec, errs);
        }
      }
      case "DaemonSet" -> {
        WorkloadValidation.validateDaemonSet(spec, errs);
        if (update) {
          WorkloadValidation.selectorImmutable(spec, oldSpec, errs);
        }
      }
      case "Job" -> {
        JobValidation.validateJob(spec, errs);
        if (update) {
          JobValidation.validateJobUpdate(spec, oldSpec, errs);
        }
      }
      case "CronJob" -> JobValidation.validateCronJob(Meta.name(obj), spec, oldSpec, errs);
      case "Service" -> {
        ServiceValidation.validate(spec, errs);
        if (update) {
          ServiceValidation.validateUpdate(spec, oldSpec, errs);
        }
      }
      case "ConfigMap" -> {
        ConfigValidation.validateConfigMap(obj, errs);
        if (update) {
          ConfigValidation.validateConfigMapUpdate(obj, old, errs);
        }
      }
      case "Secret" -> {
        ConfigValidation.validateSecret(obj, errs);
        if (update) {
          ConfigValidation.validateSecretUpdate(obj, old, errs);
        }
      }
      case "Namespace" -> ClusterValidation.validateNamespace(obj, errs);
      case "Node" -> ClusterValidation.validateNode(obj, errs);
      case "PersistentVolume" -> StorageValidation.validatePersistentVolume(spec, errs);
      case "PersistentVolumeClaim" -> {
        StorageValidation.validateClaimSpec(spec, FieldPath.of("spec"), errs);
        if (update) {
          StorageValidation.validateClaimUpdate(obj, old, errs);
        }
      }
      case "Ingress" -> NetworkingValidation.validateIngress(spec, errs);
      case "EndpointSlice" -> {
        NetworkingValidation.validateEndpointSlice(obj, !update, errs);
        if (update && !Rec.s(obj, "addressType").equals(Rec.s(old, "addressType"))) {
          errs.add(FieldError.invalid(FieldPath.of("addressType"), Rec.s(obj, "addressType"), Messages.FIELD_IMMUTABLE));
        }
      }
      case "Lease" -> ClusterValidation.validateLease(spec, errs);
      case "Role" -> RbacValidation.validateRules(obj, true, errs);
      case "ClusterRole" -> RbacValidation.validateRules(obj, false, errs);
      case "RoleBinding", "ClusterRoleBinding" -> {
        RbacValidation.validateBinding(obj, type.kind().equals("RoleBinding"), errs);
        if (update) {
          RbacValidation.validateBindingUpdate(obj, old, errs);
        }
      }
      case "PriorityClass" -> {
        ClusterValidation.validatePriorityClass(obj, errs);
        if (update) {
          ClusterValidation.validatePriorityClassUpdate(obj, old, errs);
        }
      }
      case "PodDisruptionBudget" -> ClusterValidation.validatePodDisruptionBudget(spec, errs);
      case "StorageClass" -> {
        StorageValidation.validateStorageClass(obj, errs);
        if (update) {
          StorageValidation.validateStorageClassUpdate(obj, old, errs);
        }
      }
      default -> { } // Endpoints, Event, ServiceAccount, ControllerRevision, IngressClass: metadata only
    }
  }
}
