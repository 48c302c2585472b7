package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.num;
import static io.kafkube.schemas.validation.Rec.s;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;

/** Services (core/v1). */
final class ServiceValidation {
  private static final FieldPath SPEC = FieldPath.of("spec");
  static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  private static final List<String> AFFINITIES = List.of("ClientIP", "None");
  private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
  private static final List<String> IP_FAMILY_POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");
  private static final int KUBELET_PORT = 10250;

  private ServiceValidation() {}

  static boolean isHeadless(GenericRecord spec) {
    List<String> ips = clusterIPs(spec);
    return !ips.isEmpty() && ips.get(0).equals("None");
  }

  /** {@code clusterIPs}, or {@code [clusterIP]} when only that is set (the registry normalizes so). */
  static List<String> clusterIPs(GenericRecord spec) {
    List<String> ips = Rec.strings(spec, "clusterIPs");
    if (ips.isEmpty() && !s(spec, "clusterIP").isEmpty()) {
      return List.of(s(spec, "clusterIP"));
    }
    return ips;
  }

  static void validate(GenericRecord spec, List<FieldError> errs) {
    String type = s(spec, "type");
    List<GenericRecord> ports = Rec.records(spec, "ports");
    boolean headless = isHeadless(spec);
    List<String> ips = clusterIPs(spec);
    if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
      errs.add(FieldError.required(SPEC.child("ports"), ""));
    }
    switch (type) {
      case "LoadBalancer" -> {
        if (headless) {
          errs.add(FieldError.invalid(SPEC.child("clusterIPs").index(0), ips.get(0), "may not be set to 'None' for LoadBalancer services"));
        }
        for (int i = 0; i < ports.size(); i++) {
          Long port = num(ports.get(i), "port");
          if (port != null && port == KUBELET_PORT) {
            errs.add(FieldError.invalid(SPEC.child("ports").index(i), port,
                "may not expose port " + KUBELET_PORT + " externally since it is used by kubelet"));
          }
        }
      }
      case "NodePort" -> {
        if (headless) {
          errs.add(FieldError.invalid(SPEC.child("clusterIPs").index(0), ips.get(0), "may not be set to 'None' for NodePort services"));
        }
      }
      case "ExternalName" -> {
        if (!ips.isEmpty()) {
          errs.add(FieldError.forbidden(SPEC.child("clusterIPs"), "may not be set for ExternalName services"));
        }
        String cname = s(spec, "externalName");
        if (cname.endsWith(".")) {
          cname = cname.substring(0, cname.length() - 1);
        }
        if (cname.isEmpty()) {
          errs.add(FieldError.required(SPEC.child("externalName"), ""));
        } else {
          for (String msg : NameValidation.isDns1123Subdomain(cname)) {
            errs.add(FieldError.invalid(SPEC.child("externalName"), cname, msg));
          }
        }
      }
      default -> { }
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      validatePort(ports.get(i), ports.size() > 1, names, SPEC.child("ports").index(i), errs);
    }
    Map<String, String> selector = Rec.stringMap(spec, "selector");
    if (selector != null) {
      errs.addAll(LabelValidation.validateLabels(selector, SPEC.child("selector")));
    }
    ContainerValidation.enumValue(s(spec, "sessionAffinity"), AFFINITIES, SPEC.child("sessionAffinity"), errs);
    validateClusterIPs(spec, ips, errs);
    ContainerValidation.enumValue(type, TYPES, SPEC.child("type"), errs);
    if (type.equals("ClusterIP")) {
      for (int i = 0; i < ports.size(); i++) {
        Long np = num(ports.get(i), "nodePort");
        if (np != null && np != 0) {
          errs.add(FieldError.forbidden(SPEC.child("ports").index(i).child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
        }
      }
    }
    Set<String> nodePorts = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      GenericRecord p = ports.get(i);
      String protocol = s(p, "protocol");
      Long np = num(p, "nodePort");
      if (np != null && np != 0) {
        if (np < NetValidation.MIN_NODE_PORT || np > NetValidation.MAX_NODE_PORT) {
          errs.add(FieldError.invalid(SPEC.child("ports").index(i).child("nodePort"), np,
              "provided port is not in the valid range. The range of valid ports is "
                  + NetValidation.MIN_NODE_PORT + "-" + NetValidation.MAX_NODE_PORT));
        }
        if (!nodePorts.add(protocol + "/" + np)) {
          errs.add(FieldError.duplicate(SPEC.child("ports").index(i).child("nodePort"), np));
        }
      }
      long port = num(p, "port") == null ? 0 : num(p, "port");
      if (!keys.add(protocol + "/" + port)) {
        errs.add(FieldError.duplicate(SPEC.child("ports").index(i), GoValue.literal("core.ServicePort{Name:\"\", Protocol:"
            + GoValue.quote(protocol) + ", AppProtocol:(*string)(nil), Port:" + port
            + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")));
      }
    }
    boolean external = type.equals("LoadBalancer") || type.equals("NodePort")
        || type.equals("ClusterIP") && !Rec.list(spec, "externalIPs").isEmpty();
    String etp = s(spec, "externalTrafficPolicy");
    if (!external && !etp.isEmpty()) {
      errs.add(FieldError.invalid(SPEC.child("externalTrafficPolicy"), etp, "may only be set for externally-accessible services"));
    } else if (external) {
      ContainerValidation.enumValue(etp, TRAFFIC_POLICIES, SPEC.child("externalTrafficPolicy"), errs);
    }
    ContainerValidation.enumValue(s(spec, "internalTrafficPolicy"), TRAFFIC_POLICIES, SPEC.child("internalTrafficPolicy"), errs);
    ContainerValidation.enumValue(s(spec, "ipFamilyPolicy"), IP_FAMILY_POLICIES, SPEC.child("ipFamilyPolicy"), errs);
    for (int i = 0; i < Rec.strings(spec, "externalIPs").size(); i++) {
      errs.addAll(NetValidation.isValidIP(SPEC.child("externalIPs").index(i), Rec.strings(spec, "externalIPs").get(i)));
    }
  }

  private static void validatePort(GenericRecord sp, boolean requireName, Set<String> names, FieldPath path,
      List<FieldError> errs) {
    String name = s(sp, "name");
    if (requireName && name.isEmpty()) {
      errs.add(FieldError.required(path.child("name"), ""));
    } else if (!name.isEmpty()) {
      for (String msg : NameValidation.isDns1123Label(name)) {
        errs.add(FieldError.invalid(path.child("name"), name, msg));
      }
      if (!names.add(name)) {
        errs.add(FieldError.duplicate(path.child("name"), name));
      }
    }
    long port = num(sp, "port") == null ? 0 : num(sp, "port");
    for (String msg : NetValidation.isValidPortNum(port)) {
      errs.add(FieldError.invalid(path.child("port"), port, msg));
    }
    ContainerValidation.enumValue(s(sp, "protocol"), ContainerValidation.PROTOCOLS, path.child("protocol"), errs);
    Object target = Rec.raw(sp, "targetPort");
    if (target != null) {
      ContainerValidation.validatePortNumOrName(target, path.child("targetPort"), errs);
    }
    String appProtocol = Rec.str(sp, "appProtocol");
    if (appProtocol != null) {
      for (String msg : LabelValidation.isQualifiedName(appProtocol)) {
        errs.add(FieldError.invalid(path.child("appProtocol"), appProtocol, msg));
      }
    }
  }

  private static void validateClusterIPs(GenericRecord spec, List<String> ips, List<FieldError> errs) {
    List<String> listed = Rec.strings(spec, "clusterIPs");
    String clusterIP = s(spec, "clusterIP");
    if (!listed.isEmpty() && !clusterIP.isEmpty() && !clusterIP.equals(listed.get(0))) {
      errs.add(FieldError.invalid(SPEC.child("clusterIPs"), GoValue.literal(GoValue.stringSlice(listed)),
          "first value must match `clusterIP`"));
    }
    for (int i = 0; i < ips.size(); i++) {
      String ip = ips.get(i);
      if (i == 0 && ip.equals("None")) {
        if (ips.size() > 1) {
          errs.add(FieldError.invalid(SPEC.child("clusterIPs"), GoValue.literal(GoValue.stringSlice(ips)),
              "'None' must be the first and only value"));
        }
        continue;
      }
      errs.addAll(NetValidation.isValidIP(SPEC.child("clusterIPs").index(i), ip));
    }
  }

  /** {@code clusterIP(s)} may not change once set (except to or from ExternalName). */
  static void validateUpdate(GenericRecord spec, GenericRecord old, List<FieldError> errs) {
    if (s(spec, "type").equals("ExternalName") || s(old, "type").equals("ExternalName")) {
      return;
    }
    List<String> oldIps = clusterIPs(old);
    List<String> ips = clusterIPs(spec);
    if (!oldIps.isEmpty() && !ips.isEmpty() && !oldIps.get(0).equals(ips.get(0))) {
      errs.add(FieldError.invalid(SPEC.child("clusterIPs").index(0), GoValue.literal(GoValue.stringSlice(new ArrayList<>(ips))),
          "may not change once set"));
    }
  }
}
