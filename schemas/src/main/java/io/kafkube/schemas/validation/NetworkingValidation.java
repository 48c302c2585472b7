package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.num;
import static io.kafkube.schemas.validation.Rec.rec;
import static io.kafkube.schemas.validation.Rec.s;

import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** Ingress (networking.k8s.io/v1) and EndpointSlice (discovery.k8s.io/v1). */
final class NetworkingValidation {
  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");
  private static final List<String> INVALID_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F");
  private static final List<String> INVALID_SUFFIXES = List.of("/..", "/.");
  static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
  private static final int MAX_ENDPOINTS = 1000;
  private static final int MAX_ADDRESSES = 100;

  private NetworkingValidation() {}

  static void validateIngress(GenericRecord spec, List<FieldError> errs) {
    List<GenericRecord> rules = Rec.records(spec, "rules");
    GenericRecord defaultBackend = rec(spec, "defaultBackend");
    if (rules.isEmpty() && defaultBackend == null) {
      errs.add(FieldError.invalid(SPEC, GoValue.literal("[]networking.IngressRule(nil)"),
          "either `defaultBackend` or `rules` must be specified"));
    }
    if (defaultBackend != null) {
      validateBackend(defaultBackend, SPEC.child("defaultBackend"), errs);
    }
    for (int i = 0; i < rules.size(); i++) {
      GenericRecord rule = rules.get(i);
      FieldPath p = SPEC.child("rules").index(i);
      String host = s(rule, "host");
      if (!host.isEmpty()) {
        if (NetValidation.isIP(host)) {
          errs.add(FieldError.invalid(p.child("host"), host, "must be a DNS name, not an IP address"));
        }
        List<String> msgs = host.contains("*") ? NameValidation.isWildcardDns1123Subdomain(host)
            : NameValidation.isDns1123Subdomain(host);
        for (String msg : msgs) {
          errs.add(FieldError.invalid(p.child("host"), host, msg));
        }
      }
      GenericRecord http = rec(rule, "http");
      if (http != null) {
        List<GenericRecord> paths = Rec.records(http, "paths");
        if (paths.isEmpty()) {
          errs.add(FieldError.required(p.child("http", "paths"), ""));
        }
        for (int j = 0; j < paths.size(); j++) {
          validatePath(paths.get(j), p.child("http", "paths").index(j), errs);
        }
      }
    }
    List<GenericRecord> tls = Rec.records(spec, "tls");
    for (int i = 0; i < tls.size(); i++) {
      List<String> hosts = Rec.strings(tls.get(i), "hosts");
      for (int j = 0; j < hosts.size(); j++) {
        String h = hosts.get(j);
        List<String> msgs = h.contains("*") ? NameValidation.isWildcardDns1123Subdomain(h) : NameValidation.isDns1123Subdomain(h);
        for (String msg : msgs) {
          errs.add(FieldError.invalid(SPEC.child("tls").index(i).child("hosts").index(j), h, msg));
        }
      }
    }
    String className = Rec.str(spec, "ingressClassName");
    if (className != null && !className.isEmpty()) {
      for (String msg : NameValidation.isDns1123Subdomain(className)) {
        errs.add(FieldError.invalid(SPEC.child("ingressClassName"), className, msg));
      }
    }
  }

  private static void validatePath(GenericRecord path, FieldPath p, List<FieldError> errs) {
    String pathType = Rec.str(path, "pathType");
    if (pathType == null) {
      errs.add(FieldError.required(p.child("pathType"), "pathType must be specified"));
      return;
    }
    String value = s(path, "path");
    switch (pathType) {
      case "Exact", "Prefix" -> {
        if (!value.startsWith("/")) {
          errs.add(FieldError.invalid(p.child("path"), value, "must be an absolute path"));
        }
        if (!value.isEmpty()) {
          for (String seq : INVALID_SEQUENCES) {
            if (value.contains(seq)) {
              errs.add(FieldError.invalid(p.child("path"), value, "must not contain '" + seq + "'"));
            }
          }
          for (String suffix : INVALID_SUFFIXES) {
            if (value.endsWith(suffix)) {
              errs.add(FieldError.invalid(p.child("path"), value, "cannot end with '" + suffix + "'"));
            }
          }
        }
      }
      case "ImplementationSpecific" -> {
        if (!value.isEmpty() && !value.startsWith("/")) {
          errs.add(FieldError.invalid(p.child("path"), value, "must be an absolute path"));
        }
      }
      default -> errs.add(FieldError.notSupported(p.child("pathType"), pathType, PATH_TYPES));
    }
    validateBackend(rec(path, "backend"), p.child("backend"), errs);
  }

  private static void validateBackend(GenericRecord backend, FieldPath p, List<FieldError> errs) {
    GenericRecord resource = rec(backend, "resource");
    GenericRecord service = rec(backend, "service");
    if (resource != null && service != null) {
      errs.add(FieldError.invalid(p, "", "cannot set both resource and service backends"));
      return;
    }
    if (resource != null) {
      if (s(resource, "kind").isEmpty()) {
        errs.add(FieldError.required(p.child("resource", "kind"), ""));
      }
      if (s(resource, "name").isEmpty()) {
        errs.add(FieldError.required(p.child("resource", "name"), ""));
      }
      return;
    }
    if (service == null) {
      errs.add(FieldError.invalid(p, "", "resource or service backend is required"));
      return;
    }
    String name = s(service, "name");
    if (name.isEmpty()) {
      errs.add(FieldError.required(p.child("service", "name"), ""));
    } else {
      for (String msg : NameValidation.DNS1035_LABEL_RULE.validate(name, false)) {
        errs.add(FieldError.invalid(p.child("service", "name"), name, msg));
      }
    }
    GenericRecord port = rec(service, "port");
    String portName = s(port, "name");
    long number = num(port, "number") == null ? 0 : num(port, "number");
    if (!portName.isEmpty() && number != 0) {
      errs.add(FieldError.invalid(p, "", "cannot set both port name & port number"));
    } else if (!portName.isEmpty()) {
      for (String msg : NetValidation.isValidPortName(portName)) {
        errs.add(FieldError.invalid(p.child("service", "port", "name"), portName, msg));
      }
    } else if (number != 0) {
      for (String msg : NetValidation.isValidPortNum(number)) {
        errs.add(FieldError.invalid(p.child("service", "port", "number"), number, msg));
      }
    } else {
      errs.add(FieldError.required(p, "port name or number is required"));
    }
  }

  static void validateEndpointSlice(GenericRecord slice, boolean create, List<FieldError> errs) {
    String addressType = s(slice, "addressType");
    if (create) {
      if (addressType.isEmpty()) {
        errs.add(FieldError.required(FieldPath.of("addressType"), ""));
      } else if (!ADDRESS_TYPES.contains(addressType)) {
        errs.add(FieldError.notSupported(FieldPath.of("addressType"), addressType, ADDRESS_TYPES));
      }
    }
    List<GenericRecord> endpoints = Rec.records(slice, "endpoints");
    FieldPath ePath = FieldPath.of("endpoints");
    if (endpoints.size() > MAX_ENDPOINTS) {
      errs.add(FieldError.tooMany(ePath, endpoints.size(), MAX_ENDPOINTS));
      return;
    }
    for (int i = 0; i < endpoints.size(); i++) {
      FieldPath aPath = ePath.index(i).child("addresses");
      List<String> addresses = Rec.strings(endpoints.get(i), "addresses");
      if (addresses.isEmpty()) {
        errs.add(FieldError.required(aPath, "must contain at least 1 address"));
      } else if (addresses.size() > MAX_ADDRESSES) {
        errs.add(FieldError.tooMany(aPath, addresses.size(), MAX_ADDRESSES));
        continue;
      }
      for (int j = 0; j < addresses.size(); j++) {
        switch (addressType) {
          case "IPv4" -> errs.addAll(NetValidation.isValidIPv4Address(aPath.index(j), addresses.get(j)));
          case "IPv6" -> errs.addAll(NetValidation.isValidIPv6Address(aPath.index(j), addresses.get(j)));
          case "FQDN" -> errs.addAll(NetValidation.isFullyQualifiedDomainName(aPath.index(j), addresses.get(j)));
          default -> { }
        }
      }
      String hostname = Rec.str(endpoints.get(i), "hostname");
      if (hostname != null) {
        for (String msg : NameValidation.isDns1123Label(hostname)) {
          errs.add(FieldError.invalid(ePath.index(i).child("hostname"), hostname, msg));
        }
      }
    }
    List<GenericRecord> ports = Rec.records(slice, "ports");
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      GenericRecord port = ports.get(i);
      FieldPath p = FieldPath.of("ports").index(i);
      String name = s(port, "name");
      if (!name.isEmpty()) {
        for (String msg : NameValidation.isDns1123Label(name)) {
          errs.add(FieldError.invalid(p.child("name"), name, msg));
        }
      }
      if (!names.add(name)) {
        errs.add(FieldError.duplicate(p.child("name"), name));
      }
      ContainerValidation.enumValue(s(port, "protocol"), ContainerValidation.PROTOCOLS, p.child("protocol"), errs);
      Long number = num(port, "port");
      if (number != null) {
        for (String msg : NetValidation.isValidPortNum(number)) {
          errs.add(FieldError.invalid(p.child("port"), number, msg));
        }
      }
    }
  }
}
