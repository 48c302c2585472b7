package io.kafkube.scheduler.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** Pod builder for tests, after kube-scheduler's {@code st.MakePod()}: {@code pod("p").cpu("500m").obj()}. */
public final class TestPods {
  public static final ResourceType PODS = ResourceRegistry.kubernetes().byGroupResource("pods").orElseThrow();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private TestPods() {}

  public static Builder pod(String name) {
    return new Builder(name);
  }

  public static final class Builder {
    private final ObjectNode root = F.objectNode();
    private final ObjectNode meta = root.putObject("metadata");
    private final ObjectNode spec = root.putObject("spec");
    private final ArrayNode containers = spec.putArray("containers");
    private ObjectNode main;

    private Builder(String name) {
      root.put("apiVersion", "v1");
      root.put("kind", "Pod");
      meta.put("name", name);
      meta.put("namespace", "default");
      meta.put("uid", "uid-" + name);
      meta.put("resourceVersion", "1");
      meta.put("creationTimestamp", "2026-01-01T00:00:00Z");
      main = container("main");
    }

    private ObjectNode container(String name) {
      ObjectNode c = containers.addObject();
      c.put("name", name);
      c.put("image", "busybox");
      return c;
    }

    public String name() {
      return meta.get("name").asText();
    }

    public String key() {
      return PODS.key(meta.get("namespace").asText(), name()).toString();
    }

    public Builder namespace(String ns) {
      meta.put("namespace", ns);
      return this;
    }

    public Builder uid(String uid) {
      meta.put("uid", uid);
      return this;
    }

    public Builder resourceVersion(String rv) {
      meta.put("resourceVersion", rv);
      return this;
    }

    /** Creation time as RFC 3339. */
    public Builder created(String time) {
      meta.put("creationTimestamp", time);
      return this;
    }

    public Builder annotation(String k, String v) {
      meta.with("annotations").put(k, v);
      return this;
    }

    public Builder deadlineAnnotation(String time) {
      return annotation(PodInfo.DEADLINE_ANNOTATION, time);
    }

    public Builder deleting() {
      meta.put("deletionTimestamp", "2026-01-01T00:01:00Z");
      return this;
    }

    public Builder priority(int p) {
      spec.put("priority", p);
      return this;
    }

    public Builder activeDeadlineSeconds(long s) {
      spec.put("activeDeadlineSeconds", s);
      return this;
    }

    public Builder cpu(String q) {
      return request("cpu", q);
    }

    public Builder memory(String q) {
      return request("memory", q);
    }

    /** A request of the main container. */
    public Builder request(String resource, String q) {
      main.with("resources").with("requests").put(resource, q);
      return this;
    }

    /** A limit of the main container. */
    public Builder limit(String resource, String q) {
      main.with("resources").with("limits").put(resource, q);
      return this;
    }

    /** Another container with these requests (resource, quantity, resource, quantity …). */
    public Builder container(String... requests) {
      ObjectNode c = container("c" + containers.size());
      for (int i = 0; i + 1 < requests.length; i += 2) {
        c.with("resources").with("requests").put(requests[i], requests[i + 1]);
      }
      return this;
    }

    public Builder initContainer(String... requests) {
      ArrayNode init = spec.has("initContainers") ? (ArrayNode) spec.get("initContainers") : spec.putArray("initContainers");
      ObjectNode c = init.addObject();
      c.put("name", "init" + init.size());
      c.put("image", "busybox");
      for (int i = 0; i + 1 < requests.length; i += 2) {
        c.with("resources").with("requests").put(requests[i], requests[i + 1]);
      }
      return this;
    }

    public Builder overhead(String resource, String q) {
      spec.with("overhead").put(resource, q);
      return this;
    }

    public Builder nodeSelector(String k, String v) {
      spec.with("nodeSelector").put(k, v);
      return this;
    }

    private ObjectNode nodeAffinity() {
      return spec.with("affinity").with("nodeAffinity");
    }

    /** A new required term with one expression (terms are ORed). */
    public Builder requiredTerm(String key, String op, String... values) {
      ObjectNode req = nodeAffinity().with("requiredDuringSchedulingIgnoredDuringExecution");
      ArrayNode terms = req.has("nodeSelectorTerms") ? (ArrayNode) req.get("nodeSelectorTerms")
          : req.putArray("nodeSelectorTerms");
      expression(terms.addObject().putArray("matchExpressions"), key, op, values);
      return this;
    }

    /** Another expression in the last required term (expressions of a term are ANDed). */
    public Builder andExpression(String key, String op, String... values) {
      ArrayNode terms = (ArrayNode) nodeAffinity().with("requiredDuringSchedulingIgnoredDuringExecution")
          .get("nodeSelectorTerms");
      expression((ArrayNode) terms.get(terms.size() - 1).get("matchExpressions"), key, op, values);
      return this;
    }

    public Builder preferredTerm(int weight, String key, String op, String... values) {
      ArrayNode pref = nodeAffinity().has("preferredDuringSchedulingIgnoredDuringExecution")
          ? (ArrayNode) nodeAffinity().get("preferredDuringSchedulingIgnoredDuringExecution")
          : nodeAffinity().putArray("preferredDuringSchedulingIgnoredDuringExecution");
      ObjectNode p = pref.addObject();
      p.put("weight", weight);
      expression(p.putObject("preference").putArray("matchExpressions"), key, op, values);
      return this;
    }

    private static void expression(ArrayNode exprs, String key, String op, String... values) {
      ObjectNode e = exprs.addObject();
      e.put("key", key);
      e.put("operator", op);
      if (values.length > 0) {
        ArrayNode v = e.putArray("values");
        for (String s : values) {
          v.add(s);
        }
      }
    }

    /** A toleration; null parts are left out. */
    public Builder toleration(String key, String op, String value, String effect) {
      ArrayNode t = spec.has("tolerations") ? (ArrayNode) spec.get("tolerations") : spec.putArray("tolerations");
      ObjectNode o = t.addObject();
      if (key != null) {
        o.put("key", key);
      }
      if (op != null) {
        o.put("operator", op);
      }
      if (value != null) {
        o.put("value", value);
      }
      if (effect != null) {
        o.put("effect", effect);
      }
      return this;
    }

    public Builder label(String k, String v) {
      meta.with("labels").put(k, v);
      return this;
    }

    public Builder priorityClassName(String name) {
      spec.put("priorityClassName", name);
      return this;
    }

    public Builder preemptionPolicy(String policy) {
      spec.put("preemptionPolicy", policy);
      return this;
    }

    /** A volume from a PersistentVolumeClaim. */
    public Builder claim(String claimName) {
      ArrayNode v = spec.has("volumes") ? (ArrayNode) spec.get("volumes") : spec.putArray("volumes");
      ObjectNode o = v.addObject();
      o.put("name", "vol-" + claimName);
      o.putObject("persistentVolumeClaim").put("claimName", claimName);
      return this;
    }

    /** A label selector: {@code "app=web"} pairs go to matchLabels; {@code "key op v1,v2"} to matchExpressions. */
    public static ObjectNode selector(ObjectNode parent, String field, String... requirements) {
      ObjectNode sel = parent.putObject(field);
      for (String r : requirements) {
        if (r.contains("=")) {
          String[] kv = r.split("=", 2);
          sel.with("matchLabels").put(kv[0], kv[1]);
        } else {
          String[] parts = r.split(" ");
          ArrayNode exprs = sel.has("matchExpressions") ? (ArrayNode) sel.get("matchExpressions")
              : sel.putArray("matchExpressions");
          ObjectNode e = exprs.addObject();
          e.put("key", parts[0]);
          e.put("operator", parts[1]);
          if (parts.length > 2) {
            ArrayNode vals = e.putArray("values");
            for (String v : parts[2].split(",")) {
              vals.add(v);
            }
          }
        }
      }
      return sel;
    }

    /** The pod affinity term added last, for {@link #namespaceSelector} and {@link #namespaces}. */
    private ObjectNode lastTerm;

    /** Sets the {@code namespaceSelector} of the last pod affinity term ({@code {}} when no requirement is given). */
    public Builder namespaceSelector(String... requirements) {
      selector(lastTerm, "namespaceSelector", requirements);
      return this;
    }

    /** Sets the {@code namespaces} of the last pod affinity term. */
    public Builder namespaces(String... namespaces) {
      ArrayNode ns = lastTerm.putArray("namespaces");
      for (String n : namespaces) {
        ns.add(n);
      }
      return this;
    }

    /** A controller owner reference ({@code apps/v1}, e.g. a ReplicaSet), as its controller sets it. */
    public Builder controlledBy(String kind, String name) {
      ArrayNode refs = meta.has("ownerReferences") ? (ArrayNode) meta.get("ownerReferences")
          : meta.putArray("ownerReferences");
      ObjectNode ref = refs.addObject();
      ref.put("apiVersion", "apps/v1");
      ref.put("kind", kind);
      ref.put("name", name);
      ref.put("uid", "uid-" + kind + "-" + name);
      ref.put("controller", true);
      return this;
    }

    private ObjectNode podAffinityTerm(String kind, boolean required, int weight, String topologyKey,
        String... selector) {
      ObjectNode aff = spec.with("affinity").with(kind);
      String field = required ? "requiredDuringSchedulingIgnoredDuringExecution"
          : "preferredDuringSchedulingIgnoredDuringExecution";
      ArrayNode list = aff.has(field) ? (ArrayNode) aff.get(field) : aff.putArray(field);
      ObjectNode term;
      if (required) {
        term = list.addObject();
      } else {
        ObjectNode w = list.addObject();
        w.put("weight", weight);
        term = w.putObject("podAffinityTerm");
      }
      term.put("topologyKey", topologyKey);
      selector(term, "labelSelector", selector);
      lastTerm = term;
      return term;
    }

    /** A required pod affinity term on {@code topologyKey} to pods matching the selector requirements. */
    public Builder podAffinity(String topologyKey, String... selector) {
      podAffinityTerm("podAffinity", true, 0, topologyKey, selector);
      return this;
    }

    public Builder podAntiAffinity(String topologyKey, String... selector) {
      podAffinityTerm("podAntiAffinity", true, 0, topologyKey, selector);
      return this;
    }

    public Builder preferredPodAffinity(int weight, String topologyKey, String... selector) {
      podAffinityTerm("podAffinity", false, weight, topologyKey, selector);
      return this;
    }

    public Builder preferredPodAntiAffinity(int weight, String topologyKey, String... selector) {
      podAffinityTerm("podAntiAffinity", false, weight, topologyKey, selector);
      return this;
    }

    /** A required pod anti-affinity term looking in these namespaces (or all, for {@code "*"}). */
    public Builder podAntiAffinityIn(String topologyKey, List<String> namespaces, String... selector) {
      ObjectNode term = podAffinityTerm("podAntiAffinity", true, 0, topologyKey, selector);
      if (namespaces.contains("*")) {
        term.putObject("namespaceSelector");
      } else {
        ArrayNode ns = term.putArray("namespaces");
        namespaces.forEach(ns::add);
      }
      return this;
    }

    /** A topology spread constraint; {@code minDomains} null for none. */
    public Builder spread(int maxSkew, String topologyKey, String whenUnsatisfiable, Integer minDomains,
        String... selector) {
      ArrayNode list = spec.has("topologySpreadConstraints") ? (ArrayNode) spec.get("topologySpreadConstraints")
          : spec.putArray("topologySpreadConstraints");
      ObjectNode c = list.addObject();
      c.put("maxSkew", maxSkew);
      c.put("topologyKey", topologyKey);
      c.put("whenUnsatisfiable", whenUnsatisfiable);
      if (minDomains != null) {
        c.put("minDomains", minDomains);
      }
      selector(c, "labelSelector", selector);
      return this;
    }

    /** Sets a field of the last topology spread constraint (nodeAffinityPolicy, nodeTaintsPolicy …). */
    public Builder spreadPolicy(String field, String value) {
      ArrayNode list = (ArrayNode) spec.get("topologySpreadConstraints");
      ((ObjectNode) list.get(list.size() - 1)).put(field, value);
      return this;
    }

    public Builder schedulerName(String s) {
      spec.put("schedulerName", s);
      return this;
    }

    public Builder nodeName(String n) {
      spec.put("nodeName", n);
      return this;
    }

    public Builder phase(String p) {
      root.with("status").put("phase", p);
      return this;
    }

    public GenericRecord obj() {
      Conversion c = KubeJson.toAvro(root, KafkubeSchemas.kind(PODS));
      if (!c.clean()) {
        throw new IllegalStateException("bad test pod: " + c.problems());
      }
      return c.record();
    }

    public PodInfo info() {
      return PodInfo.of(key(), obj());
    }
  }
}
