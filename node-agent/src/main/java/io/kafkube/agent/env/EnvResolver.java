package io.kafkube.agent.env;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as kubelet makes it ({@code makeEnvironmentVariables}): the agent's own
 * variables ({@code POD_IP}, {@code PORT}), then {@code envFrom} in order (with prefixes), then
 * {@code env} in order, values with {@code $(VAR)} references expanded against what came before,
 * {@code valueFrom} resolved (fieldRef, configMapKeyRef, secretKeyRef, resourceFieldRef). A missing
 * ConfigMap, Secret or key that is not optional fails with kubelet's message.
 */
public final class EnvResolver {
  private static final Pattern LABEL_REF = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private EnvResolver() {}

  /**
   * @param pod       the pod as Kubernetes JSON
   * @param container the container's spec (JSON)
   * @param podIP     the pod's address
   * @param hostIP    the node's address
   */
  public static Map<String, String> resolve(JsonNode pod, JsonNode container, String podIP, String hostIP,
      ConfigSource config) throws ConfigException {
    String ns = pod.path("metadata").path("namespace").asText("default");
    Map<String, String> env = new LinkedHashMap<>();
    if (podIP != null) {
      env.put("POD_IP", podIP);
    }
    for (JsonNode port : container.path("ports")) {
      if (port.has("containerPort")) {
        env.put("PORT", port.get("containerPort").asText());
        break;
      }
    }
    for (JsonNode from : container.path("envFrom")) {
      String prefix = from.path("prefix").asText("");
      Map<String, String> data;
      if (from.has("configMapRef")) {
        JsonNode ref = from.get("configMapRef");
        data = lookup(config.configMap(ns, ref.path("name").asText()), ref, "configmap", config);
      } else if (from.has("secretRef")) {
        JsonNode ref = from.get("secretRef");
        data = lookup(config.secret(ns, ref.path("name").asText()), ref, "secret", config);
      } else {
        continue;
      }
      for (Map.Entry<String, String> e : data.entrySet()) {
        String k = prefix + e.getKey();
        if (ENV_NAME.matcher(k).matches()) {
          env.put(k, e.getValue());
        }
      }
    }
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      if (e.has("valueFrom")) {
        String v = valueFrom(pod, e.get("valueFrom"), ns, podIP, hostIP, container, config);
        if (v != null) {
          env.put(name, v);
        }
      } else {
        env.put(name, expand(e.path("value").asText(""), env));
      }
    }
    return env;
  }

  private static Map<String, String> lookup(Optional<Map<String, String>> found, JsonNode ref, String what,
      ConfigSource config) throws ConfigException {
    if (found.isPresent()) {
      return found.get();
    }
    if (ref.path("optional").asBoolean(false)) {
      return Map.of();
    }
    if (!config.ready()) {
      throw new ConfigException("waiting for the agent's view of " + what + "s to load");
    }
    throw new ConfigException(what + " \"" + ref.path("name").asText() + "\" not found");
  }

  private static String valueFrom(JsonNode pod, JsonNode from, String ns, String podIP, String hostIP,
      JsonNode container, ConfigSource config) throws ConfigException {
    if (from.has("fieldRef")) {
      return field(pod, from.get("fieldRef").path("fieldPath").asText(), podIP, hostIP);
    }
    if (from.has("configMapKeyRef")) {
      return keyRef(from.get("configMapKeyRef"), ns, "ConfigMap", "configmap",
          config.configMap(ns, from.get("configMapKeyRef").path("name").asText()), config);
    }
    if (from.has("secretKeyRef")) {
      return keyRef(from.get("secretKeyRef"), ns, "Secret", "secret",
          config.secret(ns, from.get("secretKeyRef").path("name").asText()), config);
    }
    if (from.has("resourceFieldRef")) {
      String res = from.get("resourceFieldRef").path("resource").asText();
      int dot = res.indexOf('.');
      if (dot > 0) {
        JsonNode v = container.path("resources").path(res.substring(0, dot)).path(res.substring(dot + 1));
        return v.isMissingNode() || v.isNull() ? "0" : v.asText();
      }
    }
    return null;
  }

  private static String keyRef(JsonNode ref, String ns, String kind, String lower,
      Optional<Map<String, String>> found, ConfigSource config) throws ConfigException {
    boolean optional = ref.path("optional").asBoolean(false);
    String name = ref.path("name").asText();
    String key = ref.path("key").asText();
    if (found.isEmpty()) {
      if (optional) {
        return null;
      }
      if (!config.ready()) {
        throw new ConfigException("waiting for the agent's view of " + lower + "s to load");
      }
      throw new ConfigException(lower + " \"" + name + "\" not found");
    }
    String v = found.get().get(key);
    if (v == null) {
      if (optional) {
        return null;
      }
      throw new ConfigException("couldn't find key " + key + " in " + kind + " " + ns + "/" + name);
    }
    return v;
  }

  /** A downward-API field; null for one kafkube does not know. */
  static String field(JsonNode pod, String path, String podIP, String hostIP) {
    JsonNode meta = pod.path("metadata");
    switch (path) {
      case "metadata.name":
        return meta.path("name").asText();
      case "metadata.namespace":
        return meta.path("namespace").asText();
      case "metadata.uid":
        return meta.path("uid").asText();
      case "spec.nodeName":
        return pod.path("spec").path("nodeName").asText();
      case "spec.serviceAccountName":
        return pod.path("spec").path("serviceAccountName").asText("");
      case "status.podIP":
      case "status.podIPs":
        return podIP == null ? "" : podIP;
      case "status.hostIP":
      case "status.hostIPs":
        return hostIP == null ? "" : hostIP;
      default:
        Matcher m = LABEL_REF.matcher(path);
        if (m.matches()) {
          return meta.path(m.group(1)).path(m.group(2)).asText("");
        }
        return null;
    }
  }

  /** Kubernetes' {@code $(VAR)} expansion: known references replaced, {@code $$} escapes, others kept. */
  public static String expand(String s, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '$' && i + 1 < s.length()) {
        char n = s.charAt(i + 1);
        if (n == '$') {
          out.append('$');
          i += 2;
          continue;
        }
        if (n == '(') {
          int close = s.indexOf(')', i + 2);
          if (close > 0) {
            String name = s.substring(i + 2, close);
            String v = env.get(name);
            out.append(v != null ? v : s, v != null ? 0 : i, v != null ? v.length() : close + 1);
            i = close + 1;
            continue;
          }
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  public static List<String> expandAll(List<String> values, Map<String, String> env) {
    List<String> out = new ArrayList<>(values.size());
    for (String v : values) {
      out.add(expand(v, env));
    }
    return out;
  }
}
