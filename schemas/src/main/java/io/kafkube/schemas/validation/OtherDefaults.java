package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.child;
import static io.kafkube.schemas.validation.Rec.num;
import static io.kafkube.schemas.validation.Rec.rec;
import static io.kafkube.schemas.validation.Rec.s;
import static io.kafkube.schemas.validation.Rec.setIfAbsent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/** Defaults of Service, Secret, Namespace, storage, Node, PriorityClass, EndpointSlice, Endpoints and RBAC. */
final class OtherDefaults {
  static final String METADATA_NAME_LABEL = "kubernetes.io/metadata.name";

  private OtherDefaults() {}

  static void service(GenericRecord spec) {
    setIfAbsent(spec, "sessionAffinity", "None");
    if ("None".equals(s(spec, "sessionAffinity"))) {
      Rec.set(spec, "sessionAffinityConfig", null);
    } else if ("ClientIP".equals(s(spec, "sessionAffinity"))) {
      GenericRecord clientIP = child(child(spec, "sessionAffinityConfig"), "clientIP");
      setIfAbsent(clientIP, "timeoutSeconds", 10800);
    }
    setIfAbsent(spec, "type", "ClusterIP");
    String type = s(spec, "type");
    for (GenericRecord port : Rec.records(spec, "ports")) {
      setIfAbsent(port, "protocol", "TCP");
      Object target = port.get("targetPort");
      if (target == null || target instanceof Number n && n.intValue() == 0
          || target instanceof CharSequence cs && cs.length() == 0) {
        Long p = num(port, "port");
        port.put("targetPort", p == null ? 0 : p.intValue());
      }
    }
    boolean external = type.equals("LoadBalancer") || type.equals("NodePort")
        || type.equals("ClusterIP") && !Rec.list(spec, "externalIPs").isEmpty();
    if (external) {
      setIfAbsent(spec, "externalTrafficPolicy", "Cluster");
    }
    if (List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) {
      setIfAbsent(spec, "internalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer")) {
      setIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
    }
    if (!type.equals("ExternalName")) {
      boolean headlessNoSelector = ServiceValidation.isHeadless(spec)
          && (Rec.stringMap(spec, "selector") == null || Rec.stringMap(spec, "selector").isEmpty());
      setIfAbsent(spec, "ipFamilyPolicy", headlessNoSelector ? "RequireDualStack" : "SingleStack");
    }
  }

  static void secret(GenericRecord secret) {
    setIfAbsent(secret, "type", "Opaque");
  }

  static void namespace(GenericRecord ns) {
    String name = s(rec(ns, "metadata"), "name");
    if (!name.isEmpty()) {
      GenericRecord meta = child(ns, "metadata");
      Map<String, String> labels = Rec.stringMap(meta, "labels");
      Map<String, String> updated = labels == null ? new LinkedHashMap<>() : new LinkedHashMap<>(labels);
      if (!name.equals(updated.get(METADATA_NAME_LABEL))) {
        updated.put(METADATA_NAME_LABEL, name); // Kubernetes always mirrors the name here
        meta.put("labels", updated);
      }
    }
    setIfAbsent(child(ns, "status"), "phase", "Active");
  }

  static void claim(GenericRecord pvc) {
    setIfAbsent(rec(pvc, "spec"), "volumeMode", "Filesystem");
    setIfAbsent(child(pvc, "status"), "phase", "Pending");
  }

  static void persistentVolume(GenericRecord pv) {
    GenericRecord spec = rec(pv, "spec");
    setIfAbsent(spec, "persistentVolumeReclaimPolicy", "Retain");
    setIfAbsent(spec, "volumeMode", "Filesystem");
    setIfAbsent(child(pv, "status"), "phase", "Pending");
  }

  static void node(GenericRecord node) {
    GenericRecord status = rec(node, "status");
    if (status != null && status.get("capacity") instanceof Map<?, ?> cap && status.get("allocatable") == null) {
      Map<String, Object> copy = new LinkedHashMap<>();
      cap.forEach((k, v) -> copy.put(k.toString(), v));
      Rec.set(status, "allocatable", copy);
    }
  }

  static void priorityClass(GenericRecord pc) {
    setIfAbsent(pc, "preemptionPolicy", "PreemptLowerPriority");
  }

  /** kube's SetDefaults_StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate. */
  static void storageClass(GenericRecord sc) {
    setIfAbsent(sc, "reclaimPolicy", "Delete");
    setIfAbsent(sc, "volumeBindingMode", "Immediate");
  }

  static void endpointSlice(GenericRecord slice) {
    for (GenericRecord port : Rec.records(slice, "ports")) {
      if (!Rec.has(port, "name")) {
        Rec.set(port, "name", "");
      }
      setIfAbsent(port, "protocol", "TCP");
    }
  }

  static void endpoints(GenericRecord ep) {
    for (GenericRecord subset : Rec.records(ep, "subsets")) {
      for (GenericRecord port : Rec.records(subset, "ports")) {
        setIfAbsent(port, "protocol", "TCP");
      }
    }
  }

  static void binding(GenericRecord binding) {
    setIfAbsent(rec(binding, "roleRef"), "apiGroup", RbacValidation.GROUP);
    for (GenericRecord subject : Rec.records(binding, "subjects")) {
      String kind = s(subject, "kind");
      if (kind.equals("User") || kind.equals("Group")) {
        setIfAbsent(subject, "apiGroup", RbacValidation.GROUP);
      }
    }
  }
}
