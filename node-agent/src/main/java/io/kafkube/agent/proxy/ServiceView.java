package io.kafkube.agent.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericRecord;

/**
 * Services, the pods behind them and Ingresses, as the proxies see them: a view of their state topics.
 * The endpoints of a Service port are computed here as the endpoints controller would (pods of the
 * Service's namespace matching its selector, with an IP, Ready, not being deleted), so the proxies need
 * no Endpoints objects.
 */
public final class ServiceView {
  static final ResourceRegistry REGISTRY = ResourceRegistry.kubernetes();
  public static final ResourceType SERVICES = REGISTRY.byGroupResource("services").orElseThrow();
  public static final ResourceType PODS = REGISTRY.byGroupResource("pods").orElseThrow();
  public static final ResourceType INGRESSES = REGISTRY.byGroupResource("ingresses.networking.k8s.io").orElseThrow();

  /** A port of a Service; {@code targetPort} is a number or a container port's name. */
  public record Port(String name, String protocol, int port, String targetPort, int nodePort) {}

  /** A Service; {@code clusterIPs} excludes {@code None}. */
  public record Service(String namespace, String name, String type, List<String> clusterIPs,
      Map<String, String> selector, List<Port> ports, boolean publishNotReadyAddresses) {

    public Optional<Port> port(String numberOrName) {
      for (Port p : ports) {
        if (numberOrName.equals(p.name()) || numberOrName.equals(Integer.toString(p.port()))) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }
  }

  /** Where a connection for a Service port goes. */
  public record Endpoint(String ip, int port) {}

  record Pod(String namespace, String name, Map<String, String> labels, String ip, boolean ready,
      boolean terminating, Map<String, Integer> namedPorts) {}

  private final Map<String, Service> services = new ConcurrentHashMap<>();
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final Map<String, IngressRules.Ingress> ingresses = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Called (on the topic follower's thread) after every change. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Applies a record of one of the followed state topics (value null: deleted). */
  public void apply(String key, GenericRecord value) {
    apply(key, value == null ? null : KubeJson.toJson(value));
  }

  void apply(String key, JsonNode json) {
    if (key.startsWith(SERVICES.keyPrefix())) {
      put(services, key, json == null ? null : service(json));
    } else if (key.startsWith(PODS.keyPrefix())) {
      Pod before = pods.get(key);
      Pod after = json == null ? null : pod(json);
      put(pods, key, after);
      if (java.util.Objects.equals(before, after)) {
        return; // status changes that do not move an endpoint
      }
    } else if (key.startsWith(INGRESSES.keyPrefix())) {
      put(ingresses, key, json == null ? null : IngressRules.Ingress.of(json));
    } else {
      return;
    }
    listeners.forEach(Runnable::run);
  }

  private static <V> void put(Map<String, V> m, String key, V v) {
    if (v == null) {
      m.remove(key);
    } else {
      m.put(key, v);
    }
  }

  public Collection<Service> services() {
    return services.values();
  }

  public Optional<Service> service(String namespace, String name) {
    return Optional.ofNullable(services.get(SERVICES.key(namespace, name).toString()));
  }

  /** The Ingresses, oldest first (their rules are merged in that order). */
  public List<IngressRules.Ingress> ingresses() {
    List<IngressRules.Ingress> l = new ArrayList<>(ingresses.values());
    l.sort(Comparator.comparing(IngressRules.Ingress::created).thenComparing(IngressRules.Ingress::namespace)
        .thenComparing(IngressRules.Ingress::name));
    return l;
  }

  /** The ready endpoints of a Service port, sorted by address. */
  public List<Endpoint> endpoints(Service s, Port port) {
    if (s.selector().isEmpty()) {
      return List.of(); // a Service without selector has hand-made Endpoints, which kafkube does not serve
    }
    List<Endpoint> out = new ArrayList<>();
    for (Pod p : pods.values()) {
      if (!p.namespace().equals(s.namespace()) || p.ip() == null || p.terminating()
          || !(p.ready() || s.publishNotReadyAddresses()) || !matches(s.selector(), p.labels())) {
        continue;
      }
      int target;
      if (port.targetPort().chars().allMatch(Character::isDigit)) {
        target = Integer.parseInt(port.targetPort());
      } else {
        Integer named = p.namedPorts().get(port.targetPort());
        if (named == null) {
          continue; // kube leaves a pod without that named port out of the port's endpoints
        }
        target = named;
      }
      out.add(new Endpoint(p.ip(), target));
    }
    out.sort(Comparator.comparing(Endpoint::ip).thenComparingInt(Endpoint::port));
    return out;
  }

  private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  static Service service(JsonNode j) {
    JsonNode spec = j.path("spec");
    List<String> ips = new ArrayList<>();
    spec.path("clusterIPs").forEach(ip -> ips.add(ip.asText()));
    if (ips.isEmpty() && spec.hasNonNull("clusterIP")) {
      ips.add(spec.path("clusterIP").asText());
    }
    ips.removeIf(ip -> ip.isEmpty() || ip.equals("None"));
    List<Port> ports = new ArrayList<>();
    for (JsonNode p : spec.path("ports")) {
      int port = p.path("port").asInt();
      JsonNode tp = p.path("targetPort");
      String target = tp.isMissingNode() || tp.isNull() || (tp.isNumber() && tp.asInt() == 0) || tp.asText().isEmpty()
          ? Integer.toString(port) : tp.asText();
      ports.add(new Port(p.path("name").asText(""), p.path("protocol").asText("TCP"), port, target,
          p.path("nodePort").asInt(0)));
    }
    return new Service(j.path("metadata").path("namespace").asText(), j.path("metadata").path("name").asText(),
        spec.path("type").asText("ClusterIP"), List.copyOf(ips), strings(spec.path("selector")), List.copyOf(ports),
        spec.path("publishNotReadyAddresses").asBoolean(false));
  }

  static Pod pod(JsonNode j) {
    JsonNode meta = j.path("metadata");
    JsonNode status = j.path("status");
    boolean ready = false;
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        ready = c.path("status").asText().equals("True");
      }
    }
    String phase = status.path("phase").asText("");
    Map<String, Integer> named = new LinkedHashMap<>();
    for (JsonNode c : j.path("spec").path("containers")) {
      for (JsonNode p : c.path("ports")) {
        if (p.hasNonNull("name")) {
          named.putIfAbsent(p.path("name").asText(), p.path("containerPort").asInt());
        }
      }
    }
    String ip = status.path("podIP").asText("");
    return new Pod(meta.path("namespace").asText(), meta.path("name").asText(), strings(meta.path("labels")),
        ip.isEmpty() || phase.equals("Succeeded") || phase.equals("Failed") ? null : ip, ready,
        meta.hasNonNull("deletionTimestamp"), Map.copyOf(named));
  }

  static Map<String, String> strings(JsonNode obj) {
    Map<String, String> m = new LinkedHashMap<>();
    obj.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return Map.copyOf(m);
  }
}
