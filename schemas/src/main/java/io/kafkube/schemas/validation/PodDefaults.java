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

/** Kubernetes 1.32 defaults of pod specs (every pod template) and of Pods. */
final class PodDefaults {
  private static final int DEFAULT_MODE = 0644; // 420, as kubectl shows it

  private PodDefaults() {}

  /** {@code SetDefaults_Pod}: the pod spec defaults plus the Pod-only ones. */
  static void applyPod(GenericRecord pod) {
    GenericRecord spec = child(pod, "spec");
    if (spec == null) {
      return;
    }
    applySpec(spec, true);
    setIfAbsent(spec, "enableServiceLinks", true);
    // the Priority admission plugin: without a class, priority 0 and preemption of lower priorities
    if (s(spec, "priorityClassName").isEmpty()) {
      setIfAbsent(spec, "priority", 0);
      setIfAbsent(spec, "preemptionPolicy", "PreemptLowerPriority");
    }
    for (String f : List.of("containers", "initContainers")) {
      for (GenericRecord c : Rec.records(spec, f)) {
        requestsFromLimits(c);
        if (Rec.isTrue(spec, "hostNetwork")) {
          for (GenericRecord port : Rec.records(c, "ports")) {
            Long hp = num(port, "hostPort");
            if (hp == null || hp == 0) {
              Rec.set(port, "hostPort", num(port, "containerPort"));
            }
          }
        }
      }
    }
  }

  private static void requestsFromLimits(GenericRecord c) {
    GenericRecord res = rec(c, "resources");
    if (res == null || !(res.get("limits") instanceof Map<?, ?> limits) || limits.isEmpty()) {
      return;
    }
    @SuppressWarnings("unchecked")
    Map<Object, Object> requests = res.get("requests") instanceof Map<?, ?> m ? (Map<Object, Object>) m : null;
    if (requests == null) {
      requests = new LinkedHashMap<>();
      res.put("requests", requests);
    }
    for (Map.Entry<?, ?> e : limits.entrySet()) {
      String key = e.getKey().toString();
      if (!containsKey(requests, key)) {
        requests.put(key, e.getValue() == null ? null : e.getValue().toString());
      }
    }
  }

  private static boolean containsKey(Map<Object, Object> m, String key) {
    for (Object k : m.keySet()) {
      if (k.toString().equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** {@code SetDefaults_PodSpec} and what it reaches (containers, probes, volumes). */
  static void applySpec(GenericRecord spec, boolean defaultRestartPolicy) {
    setIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    if (defaultRestartPolicy) {
      setIfAbsent(spec, "restartPolicy", "Always");
    }
    child(spec, "securityContext");
    setIfAbsent(spec, "terminationGracePeriodSeconds", 30L);
    setIfAbsent(spec, "schedulerName", "default-scheduler");
    for (String f : List.of("containers", "initContainers")) {
      for (GenericRecord c : Rec.records(spec, f)) {
        applyContainer(c);
      }
    }
    for (GenericRecord v : Rec.records(spec, "volumes")) {
      applyVolume(v);
    }
  }

  private static void applyContainer(GenericRecord c) {
    setIfAbsent(c, "imagePullPolicy", pullPolicy(s(c, "image")));
    setIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
    setIfAbsent(c, "terminationMessagePolicy", "File");
    for (GenericRecord port : Rec.records(c, "ports")) {
      setIfAbsent(port, "protocol", "TCP");
    }
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      GenericRecord p = rec(c, probe);
      if (p != null) {
        zeroIsAbsent(p, "timeoutSeconds", 1);
        zeroIsAbsent(p, "periodSeconds", 10);
        zeroIsAbsent(p, "successThreshold", 1);
        zeroIsAbsent(p, "failureThreshold", 3);
        httpGet(rec(p, "httpGet"));
      }
    }
    GenericRecord lifecycle = rec(c, "lifecycle");
    for (String hook : List.of("postStart", "preStop")) {
      httpGet(rec(lifecycle, hook, "httpGet"));
    }
    for (GenericRecord env : Rec.records(c, "env")) {
      setIfAbsent(rec(env, "valueFrom", "fieldRef"), "apiVersion", "v1");
    }
  }

  /** Go int32 fields without a pointer: 0 is "not set" and defaulted. */
  private static void zeroIsAbsent(GenericRecord r, String f, int value) {
    Long cur = num(r, f);
    if (cur == null || cur == 0) {
      Rec.set(r, f, value);
    }
  }

  private static void httpGet(GenericRecord h) {
    if (h != null) {
      setIfAbsent(h, "path", "/");
      setIfAbsent(h, "scheme", "HTTP");
    }
  }

  private static void applyVolume(GenericRecord v) {
    boolean any = false;
    for (String src : VolumeValidation.SOURCES) {
      any |= Rec.has(v, src);
    }
    if (!any) {
      child(v, "emptyDir");
    }
    for (String src : List.of("secret", "configMap", "downwardAPI", "projected")) {
      setIfAbsent(rec(v, src), "defaultMode", DEFAULT_MODE);
    }
    setIfAbsent(rec(v, "hostPath"), "type", "");
  }

  /** {@code Always} for {@code :latest} or no tag (and no digest), else {@code IfNotPresent}. */
  static String pullPolicy(String image) {
    if (image.isEmpty()) {
      return "IfNotPresent";
    }
    String ref = image;
    boolean digest = false;
    int at = ref.indexOf('@');
    if (at >= 0) {
      digest = true;
      ref = ref.substring(0, at);
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    String tag = colon > slash ? ref.substring(colon + 1) : "";
    String repository = colon > slash ? ref.substring(0, colon) : ref;
    if (!repository.equals(repository.toLowerCase(java.util.Locale.ROOT))) {
      return "IfNotPresent"; // not a valid reference: Kubernetes ignores the parse error
    }
    if (tag.isEmpty() && !digest) {
      tag = "latest";
    }
    return tag.equals("latest") ? "Always" : "IfNotPresent";
  }

}
