package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.num;
import static io.kafkube.schemas.validation.Rec.rec;
import static io.kafkube.schemas.validation.Rec.s;
import static io.kafkube.schemas.validation.Rec.str;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;

/** Containers and init containers of a pod spec: names, images, ports, env, mounts, probes, resources. */
final class ContainerValidation {
  static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  private static final List<String> TERMINATION_MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
  private static final List<String> ENV_FIELD_PATHS = List.of("metadata.name", "metadata.namespace",
      "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs",
      "status.podIP", "status.podIPs");
  private static final List<String> HTTP_SCHEMES = List.of("HTTP", "HTTPS");

  private ContainerValidation() {}

  static void validateContainers(List<GenericRecord> containers, Set<String> volumes, FieldPath path,
      List<FieldError> errs) {
    if (containers.isEmpty()) {
      errs.add(FieldError.required(path, ""));
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      GenericRecord c = containers.get(i);
      FieldPath p = path.index(i);
      validateCommon(c, volumes, p, errs);
      if (!names.add(s(c, "name"))) {
        errs.add(FieldError.duplicate(p.child("name"), s(c, "name")));
      }
      validateLifecycle(rec(c, "lifecycle"), p.child("lifecycle"), errs);
      validateProbe(rec(c, "livenessProbe"), p.child("livenessProbe"), true, errs);
      validateReadinessProbe(rec(c, "readinessProbe"), p.child("readinessProbe"), errs);
      validateProbe(rec(c, "startupProbe"), p.child("startupProbe"), true, errs);
      if (str(c, "restartPolicy") != null) {
        errs.add(FieldError.forbidden(p.child("restartPolicy"), "may not be set for non-init containers"));
      }
    }
    accumulateHostPorts(containers, path, errs);
  }

  static void validateInitContainers(List<GenericRecord> inits, List<GenericRecord> containers,
      Set<String> volumes, FieldPath path, List<FieldError> errs) {
    Set<String> names = new HashSet<>();
    for (GenericRecord c : containers) {
      names.add(s(c, "name"));
    }
    for (int i = 0; i < inits.size(); i++) {
      GenericRecord c = inits.get(i);
      FieldPath p = path.index(i);
      validateCommon(c, volumes, p, errs);
      if (!names.add(s(c, "name"))) {
        errs.add(FieldError.duplicate(p.child("name"), s(c, "name")));
      }
      String restart = str(c, "restartPolicy");
      boolean sidecar = "Always".equals(restart);
      if (restart != null && !sidecar) {
        errs.add(FieldError.notSupported(p.child("restartPolicy"), restart, List.of("Always")));
      }
      if (sidecar) {
        validateLifecycle(rec(c, "lifecycle"), p.child("lifecycle"), errs);
        validateProbe(rec(c, "livenessProbe"), p.child("livenessProbe"), true, errs);
        validateReadinessProbe(rec(c, "readinessProbe"), p.child("readinessProbe"), errs);
        validateProbe(rec(c, "startupProbe"), p.child("startupProbe"), true, errs);
      } else {
        for (String f : List.of("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")) {
          if (Rec.has(c, f)) {
            errs.add(FieldError.forbidden(p.child(f), "may not be set for init containers without restartPolicy=Always"));
          }
        }
      }
    }
    accumulateHostPorts(inits, path, errs);
  }

  private static void validateCommon(GenericRecord c, Set<String> volumes, FieldPath p, List<FieldError> errs) {
    String name = s(c, "name");
    if (name.isEmpty()) {
      errs.add(FieldError.required(p.child("name"), ""));
    } else {
      for (String msg : NameValidation.isDns1123Label(name)) {
        errs.add(FieldError.invalid(p.child("name"), name, msg));
      }
    }
    String image = s(c, "image");
    if (image.isEmpty()) {
      errs.add(FieldError.required(p.child("image"), ""));
    } else if (!image.equals(image.strip())) {
      errs.add(FieldError.invalid(p.child("image"), image, "must not have leading or trailing whitespace"));
    }
    enumValue(s(c, "terminationMessagePolicy"), TERMINATION_MESSAGE_POLICIES, p.child("terminationMessagePolicy"), errs);
    validatePorts(Rec.records(c, "ports"), p.child("ports"), errs);
    validateEnv(Rec.records(c, "env"), p.child("env"), errs);
    validateVolumeMounts(Rec.records(c, "volumeMounts"), volumes, p.child("volumeMounts"), errs);
    enumValue(s(c, "imagePullPolicy"), PULL_POLICIES, p.child("imagePullPolicy"), errs);
    ResourceValidation.validateContainerResources(rec(c, "resources"), p.child("resources"), errs);
  }

  /** A defaulted enum field: absent is fine (defaulting fills it), anything else must be listed. */
  static void enumValue(String v, List<String> supported, FieldPath path, List<FieldError> errs) {
    if (!v.isEmpty() && !supported.contains(v)) {
      errs.add(FieldError.notSupported(path, v, supported));
    }
  }

  private static void validatePorts(List<GenericRecord> ports, FieldPath path, List<FieldError> errs) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      GenericRecord port = ports.get(i);
      FieldPath p = path.index(i);
      String name = s(port, "name");
      if (!name.isEmpty()) {
        List<String> msgs = NetValidation.isValidPortName(name);
        if (!msgs.isEmpty()) {
          for (String msg : msgs) {
            errs.add(FieldError.invalid(p.child("name"), name, msg));
          }
        } else if (!names.add(name)) {
          errs.add(FieldError.duplicate(p.child("name"), name));
        }
      }
      Long containerPort = num(port, "containerPort");
      if (containerPort == null || containerPort == 0) {
        errs.add(FieldError.required(p.child("containerPort"), ""));
      } else {
        for (String msg : NetValidation.isValidPortNum(containerPort)) {
          errs.add(FieldError.invalid(p.child("containerPort"), containerPort, msg));
        }
      }
      Long hostPort = num(port, "hostPort");
      if (hostPort != null && hostPort != 0) {
        for (String msg : NetValidation.isValidPortNum(hostPort)) {
          errs.add(FieldError.invalid(p.child("hostPort"), hostPort, msg));
        }
      }
      enumValue(s(port, "protocol"), PROTOCOLS, p.child("protocol"), errs);
    }
  }

  private static void accumulateHostPorts(List<GenericRecord> containers, FieldPath path, List<FieldError> errs) {
    Set<String> seen = new HashSet<>();
    for (int ci = 0; ci < containers.size(); ci++) {
      List<GenericRecord> ports = Rec.records(containers.get(ci), "ports");
      for (int pi = 0; pi < ports.size(); pi++) {
        Long hostPort = num(ports.get(pi), "hostPort");
        if (hostPort == null || hostPort == 0) {
          continue;
        }
        String protocol = s(ports.get(pi), "protocol");
        String key = s(ports.get(pi), "hostIP") + "/" + (protocol.isEmpty() ? "TCP" : protocol) + "/" + hostPort;
        if (!seen.add(key)) {
          errs.add(FieldError.duplicate(path.index(ci).child("ports").index(pi).child("hostPort"), key));
        }
      }
    }
  }

  private static void validateEnv(List<GenericRecord> env, FieldPath path, List<FieldError> errs) {
    for (int i = 0; i < env.size(); i++) {
      GenericRecord ev = env.get(i);
      FieldPath p = path.index(i);
      String name = s(ev, "name");
      if (name.isEmpty()) {
        errs.add(FieldError.required(p.child("name"), ""));
      } else {
        // Kubernetes 1.32: RelaxedEnvironmentVariableValidation is on by default
        for (String msg : IdentifierValidation.isRelaxedEnvVarName(name)) {
          errs.add(FieldError.invalid(p.child("name"), name, msg));
        }
      }
      validateValueFrom(ev, p.child("valueFrom"), errs);
    }
  }

  private static void validateValueFrom(GenericRecord ev, FieldPath path, List<FieldError> errs) {
    GenericRecord from = rec(ev, "valueFrom");
    if (from == null) {
      return;
    }
    int sources = 0;
    GenericRecord fieldRef = rec(from, "fieldRef");
    if (fieldRef != null) {
      sources++;
      validateFieldRef(fieldRef, path.child("fieldRef"), errs);
    }
    if (Rec.has(from, "resourceFieldRef")) {
      sources++;
    }
    for (String ref : List.of("configMapKeyRef", "secretKeyRef")) {
      GenericRecord sel = rec(from, ref);
      if (sel == null) {
        continue;
      }
      sources++;
      FieldPath p = path.child(ref);
      String name = s(sel, "name");
      for (String msg : NameValidation.DNS_SUBDOMAIN.validate(name, false)) {
        errs.add(FieldError.invalid(p.child("name"), name, msg));
      }
      String key = s(sel, "key");
      if (key.isEmpty()) {
        errs.add(FieldError.required(p.child("key"), ""));
      } else {
        for (String msg : IdentifierValidation.isConfigMapKey(key)) {
          errs.add(FieldError.invalid(p.child("key"), key, msg));
        }
      }
    }
    if (Rec.has(from, "fileKeyRef")) {
      sources++;
    }
    if (sources == 0) {
      errs.add(FieldError.invalid(path, "",
          "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
    } else if (!s(ev, "value").isEmpty()) {
      errs.add(FieldError.invalid(path, "", "may not be specified when `value` is not empty"));
    } else if (sources > 1) {
      errs.add(FieldError.invalid(path, "", "may not have more than one field specified at a time"));
    }
  }

  private static void validateFieldRef(GenericRecord ref, FieldPath path, List<FieldError> errs) {
    String fieldPath = s(ref, "fieldPath");
    if (fieldPath.isEmpty()) {
      errs.add(FieldError.required(path.child("fieldPath"), ""));
      return;
    }
    int open = fieldPath.indexOf('[');
    if (open > 0 && fieldPath.endsWith("]")) {
      String base = fieldPath.substring(0, open);
      String sub = fieldPath.substring(open + 1, fieldPath.length() - 1);
      if (sub.startsWith("'") && sub.endsWith("'") && sub.length() >= 2) {
        sub = sub.substring(1, sub.length() - 1);
      }
      switch (base) {
        case "metadata.annotations" -> {
          for (String msg : LabelValidation.isQualifiedName(sub.toLowerCase(java.util.Locale.ROOT))) {
            errs.add(FieldError.invalid(path, sub, msg));
          }
        }
        case "metadata.labels" -> {
          for (String msg : LabelValidation.isQualifiedName(sub)) {
            errs.add(FieldError.invalid(path, sub, msg));
          }
        }
        default -> errs.add(FieldError.invalid(path, base, "does not support subscript"));
      }
    } else if (!ENV_FIELD_PATHS.contains(fieldPath)) {
      errs.add(FieldError.notSupported(path.child("fieldPath"), fieldPath, ENV_FIELD_PATHS));
    }
  }

  private static void validateVolumeMounts(List<GenericRecord> mounts, Set<String> volumes, FieldPath path,
      List<FieldError> errs) {
    Set<String> mountPoints = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      GenericRecord m = mounts.get(i);
      FieldPath p = path.index(i);
      String name = s(m, "name");
      if (name.isEmpty()) {
        errs.add(FieldError.required(p.child("name"), ""));
      }
      if (!volumes.contains(name)) {
        errs.add(FieldError.notFound(p.child("name"), name));
      }
      String mountPath = s(m, "mountPath");
      if (mountPath.isEmpty()) {
        errs.add(FieldError.required(p.child("mountPath"), ""));
      }
      if (!mountPoints.add(mountPath)) {
        errs.add(FieldError.invalid(p.child("mountPath"), mountPath, "must be unique"));
      }
    }
  }

  private static void validateLifecycle(GenericRecord lifecycle, FieldPath path, List<FieldError> errs) {
    if (lifecycle == null) {
      return;
    }
    for (String hook : List.of("postStart", "preStop")) {
      GenericRecord h = rec(lifecycle, hook);
      if (h != null) {
        validateHandler(h, path.child(hook), errs);
      }
    }
  }

  private static void validateReadinessProbe(GenericRecord probe, FieldPath path, List<FieldError> errs) {
    if (probe == null) {
      return;
    }
    validateProbe(probe, path, false, errs);
    if (Rec.has(probe, "terminationGracePeriodSeconds")) {
      errs.add(FieldError.invalid(path.child("terminationGracePeriodSeconds"),
          num(probe, "terminationGracePeriodSeconds"), "must not be set for readinessProbes"));
    }
  }

  private static void validateProbe(GenericRecord probe, FieldPath path, boolean successMustBeOne,
      List<FieldError> errs) {
    if (probe == null) {
      return;
    }
    validateHandler(probe, path, errs);
    for (String f : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
        "failureThreshold")) {
      Long v = num(probe, f);
      if (v != null && v < 0) {
        errs.add(FieldError.invalid(path.child(f), v, Messages.IS_NEGATIVE));
      }
    }
    Long grace = num(probe, "terminationGracePeriodSeconds");
    if (grace != null && grace <= 0) {
      errs.add(FieldError.invalid(path.child("terminationGracePeriodSeconds"), grace, "must be greater than 0"));
    }
    Long success = num(probe, "successThreshold");
    if (successMustBeOne && success != null && success != 1 && success != 0) {
      errs.add(FieldError.invalid(path.child("successThreshold"), success, "must be 1"));
    }
  }

  /** Exactly one of exec, httpGet, tcpSocket, grpc (and sleep for lifecycle hooks). */
  private static void validateHandler(GenericRecord h, FieldPath path, List<FieldError> errs) {
    int handlers = 0;
    for (String kind : List.of("exec", "httpGet", "tcpSocket", "grpc", "sleep")) {
      GenericRecord a = rec(h, kind);
      if (a == null) {
        continue;
      }
      FieldPath p = path.child(kind);
      if (handlers > 0) {
        errs.add(FieldError.forbidden(p, "may not specify more than 1 handler type"));
        continue;
      }
      handlers++;
      switch (kind) {
        case "exec" -> {
          if (Rec.list(a, "command").isEmpty()) {
            errs.add(FieldError.required(p.child("command"), ""));
          }
        }
        case "httpGet" -> {
          if (Rec.has(a, "path") && s(a, "path").isEmpty()) {
            errs.add(FieldError.required(p.child("path"), ""));
          }
          validatePortNumOrName(Rec.raw(a, "port"), p.child("port"), errs);
          enumValue(s(a, "scheme"), HTTP_SCHEMES, p.child("scheme"), errs);
        }
        case "tcpSocket" -> validatePortNumOrName(Rec.raw(a, "port"), p.child("port"), errs);
        case "grpc" -> {
          long port = num(a, "port") == null ? 0 : num(a, "port");
          for (String msg : NetValidation.isValidPortNum(port)) {
            errs.add(FieldError.invalid(p.child("port"), port, msg));
          }
        }
        default -> {
          Long seconds = num(a, "seconds");
          if (seconds != null && seconds < 0) {
            errs.add(FieldError.invalid(p.child("seconds"), seconds, Messages.IS_NEGATIVE));
          }
        }
      }
    }
    if (handlers == 0) {
      errs.add(FieldError.required(path, "must specify a handler type"));
    }
  }

  /** An IntOrString port: a number 1–65535 or an IANA service name. */
  static void validatePortNumOrName(Object port, FieldPath path, List<FieldError> errs) {
    if (port instanceof Number n) {
      for (String msg : NetValidation.isValidPortNum(n.longValue())) {
        errs.add(FieldError.invalid(path, n.intValue(), msg));
      }
    } else {
      String name = port == null ? "" : port.toString();
      if (port == null) {
        for (String msg : NetValidation.isValidPortNum(0)) {
          errs.add(FieldError.invalid(path, 0, msg));
        }
        return;
      }
      for (String msg : NetValidation.isValidPortName(name)) {
        errs.add(FieldError.invalid(path, name, msg));
      }
    }
  }
}
