package io.kafkube.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code meta.k8s.io/v1 Table} output for {@code kubectl get}: the columns kubectl users know per
 * kind (computed from the object's Kubernetes JSON, as kube-apiserver's printers do), with
 * {@code PartialObjectMetadata} or the full object in each row.
 */
public final class Tables {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** What each row carries: {@code includeObject=None|Metadata|Object}. */
  public enum Include { NONE, METADATA, OBJECT }

  private final Clock clock;
  private final Map<String, List<Column>> byKind = new TreeMap<>();

  public Tables(Clock clock) {
    this.clock = clock;
    Column name = Column.of("Name", o -> o.path("metadata").path("name").asText());
    Column age = Column.of("Age", this::age);
    byKind.put("Pod", List.of(name,
        Column.of("Ready", Tables::podReady), Column.of("Status", Tables::podStatus),
        Column.of("Restarts", Tables::podRestarts), age,
        Column.wide("IP", o -> none(o.path("status").path("podIP").asText())),
        Column.wide("Node", o -> none(o.path("spec").path("nodeName").asText())),
        Column.wide("Nominated Node", o -> none(o.path("status").path("nominatedNodeName").asText())),
        Column.wide("Readiness Gates", Tables::readinessGates)));
    byKind.put("Deployment", List.of(name,
        Column.of("Ready", o -> num(o, "status", "readyReplicas") + "/" + num(o, "spec", "replicas")),
        Column.integer("Up-to-date", o -> num(o, "status", "updatedReplicas")),
        Column.integer("Available", o -> num(o, "status", "availableReplicas")), age,
        Column.wide("Containers", o -> containers(o, "name")), Column.wide("Images", o -> containers(o, "image")),
        Column.wide("Selector", Tables::selector)));
    byKind.put("ReplicaSet", List.of(name,
        Column.integer("Desired", o -> num(o, "spec", "replicas")),
        Column.integer("Current", o -> num(o, "status", "replicas")),
        Column.integer("Ready", o -> num(o, "status", "readyReplicas")), age,
        Column.wide("Containers", o -> containers(o, "name")), Column.wide("Images", o -> containers(o, "image")),
        Column.wide("Selector", Tables::selector)));
    byKind.put("StatefulSet", List.of(name,
        Column.of("Ready", o -> num(o, "status", "readyReplicas") + "/" + num(o, "spec", "replicas")), age,
        Column.wide("Containers", o -> containers(o, "name")), Column.wide("Images", o -> containers(o, "image"))));
    byKind.put("DaemonSet", List.of(name,
        Column.integer("Desired", o -> num(o, "status", "desiredNumberScheduled")),
        Column.integer("Current", o -> num(o, "status", "currentNumberScheduled")),
        Column.integer("Ready", o -> num(o, "status", "numberReady")),
        Column.integer("Up-to-date", o -> num(o, "status", "updatedNumberScheduled")),
        Column.integer("Available", o -> num(o, "status", "numberAvailable")),
        Column.of("Node Selector", o -> none(mapText(o.path("spec").path("template").path("spec").path("nodeSelector")))),
        age,
        Column.wide("Containers", o -> containers(o, "name")), Column.wide("Images", o -> containers(o, "image")),
        Column.wide("Selector", Tables::selector)));
    byKind.put("Node", List.of(name, Column.of("Status", Tables::nodeStatus), Column.of("Roles", Tables::nodeRoles),
        age, Column.of("Version", o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText("")),
        Column.wide("Internal-IP", o -> none(address(o, "InternalIP"))),
        Column.wide("External-IP", o -> none(address(o, "ExternalIP"))),
        Column.wide("OS-Image", o -> unknown(o.path("status").path("nodeInfo").path("osImage").asText())),
        Column.wide("Kernel-Version", o -> unknown(o.path("status").path("nodeInfo").path("kernelVersion").asText())),
        Column.wide("Container-Runtime",
            o -> unknown(o.path("status").path("nodeInfo").path("containerRuntimeVersion").asText()))));
    byKind.put("Service", List.of(name, Column.of("Type", o -> text(o.path("spec").path("type"), "ClusterIP")),
        Column.of("Cluster-IP", o -> none(o.path("spec").path("clusterIP").asText())),
        Column.of("External-IP", Tables::externalIps), Column.of("Port(s)", Tables::servicePorts), age,
        Column.wide("Selector", o -> none(mapText(o.path("spec").path("selector"))))));
    byKind.put("Namespace", List.of(name, Column.of("Status", o -> text(o.path("status").path("phase"), "Active")), age));
    byKind.put("ConfigMap", List.of(name,
        Column.integer("Data", o -> o.path("data").size() + o.path("binaryData").size()), age));
    byKind.put("Secret", List.of(name, Column.of("Type", o -> text(o.path("type"), "Opaque")),
        Column.integer("Data", o -> o.path("data").size()), age));
    byKind.put("ServiceAccount", List.of(name, Column.integer("Secrets", o -> o.path("secrets").size()), age));
    byKind.put("Endpoints", List.of(name, Column.of("Endpoints", Tables::endpoints), age));
    byKind.put("Event", List.of(Column.of("Last Seen", this::eventLastSeen),
        Column.of("Type", o -> o.path("type").asText("")), Column.of("Reason", o -> o.path("reason").asText("")),
        Column.of("Object", o -> o.path("involvedObject").path("kind").asText("").toLowerCase()
            + "/" + o.path("involvedObject").path("name").asText("")),
        Column.of("Message", o -> o.path("message").asText("").strip())));
    byKind.put("Job", List.of(name, Column.of("Status", Tables::jobStatus),
        Column.of("Completions", o -> num(o, "status", "succeeded") + "/" + (o.path("spec").has("completions")
            ? o.path("spec").path("completions").asText() : "1")), age));
    byKind.put("CronJob", List.of(name, Column.of("Schedule", o -> o.path("spec").path("schedule").asText("")),
        Column.of("Timezone", o -> none(o.path("spec").path("timeZone").asText())),
        Column.of("Suspend", o -> Boolean.toString(o.path("spec").path("suspend").asBoolean(false)).replace("t", "T")
            .replace("f", "F")),
        Column.integer("Active", o -> o.path("status").path("active").size()),
        Column.of("Last Schedule", o -> o.path("status").has("lastScheduleTime")
            ? ago(o.path("status").path("lastScheduleTime").asText()) : "<none>"), age));
    byKind.put("Lease", List.of(name, Column.of("Holder", o -> o.path("spec").path("holderIdentity").asText("")), age));
    byKind.put("PriorityClass", List.of(name, Column.integer("Value", o -> o.path("value").asLong()),
        Column.of("Global-Default", o -> Boolean.toString(o.path("globalDefault").asBoolean(false))), age));
    byKind.put("RoleBinding", List.of(name, Column.of("Role", Tables::roleRef), age));
    byKind.put("ClusterRoleBinding", List.of(name, Column.of("Role", Tables::roleRef), age));
    byKind.put("PersistentVolumeClaim", List.of(name,
        Column.of("Status", o -> o.path("status").path("phase").asText("")),
        Column.of("Volume", o -> o.path("spec").path("volumeName").asText("")), age));
    byKind.put("PersistentVolume", List.of(name,
        Column.of("Capacity", o -> o.path("spec").path("capacity").path("storage").asText("")),
        Column.of("Status", o -> o.path("status").path("phase").asText("")), age));
    byKind.put("StorageClass", List.of(Column.of("Name", Tables::storageClassName),
        Column.of("Provisioner", o -> o.path("provisioner").asText("")),
        Column.of("ReclaimPolicy", o -> o.path("reclaimPolicy").asText("")),
        Column.of("VolumeBindingMode", o -> o.path("volumeBindingMode").asText("")),
        Column.of("AllowVolumeExpansion", o -> Boolean.toString(o.path("allowVolumeExpansion").asBoolean(false))), age));
    byKind.put("Ingress", List.of(name, Column.of("Class", o -> none(o.path("spec").path("ingressClassName").asText())),
        Column.of("Hosts", Tables::ingressHosts), age));
  }

  /** kubectl's StorageClass name: {@code (default)} after the class the default-class annotation marks. */
  private static String storageClassName(JsonNode o) {
    String n = o.path("metadata").path("name").asText();
    return "true".equals(o.path("metadata").path("annotations").path("storageclass.kubernetes.io/is-default-class")
        .asText()) ? n + " (default)" : n;
  }

  /** The columns of a kind: its own, or NAME and AGE. */
  public List<Column> columns(String kind) {
    List<Column> c = byKind.get(kind);
    if (c != null) {
      return c;
    }
    return List.of(Column.of("Name", o -> o.path("metadata").path("name").asText()), Column.of("Age", this::age));
  }

  /**
   * A Table with one row per object. The rows take parts of the objects' trees (the whole tree, or its
   * metadata) without copying them: pass trees converted for this table alone.
   */
  public ObjectNode table(String kind, List<ObjectNode> objects, Include include, String resourceVersion,
      String continueToken, Long remaining) {
    List<Column> cols = columns(kind);
    ObjectNode t = F.objectNode();
    t.put("kind", "Table");
    t.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode md = t.putObject("metadata");
    if (resourceVersion != null) {
      md.put("resourceVersion", resourceVersion);
    }
    if (continueToken != null) {
      md.put("continue", continueToken);
    }
    if (remaining != null) {
      md.put("remainingItemCount", remaining);
    }
    ArrayNode defs = t.putArray("columnDefinitions");
    for (Column c : cols) {
      ObjectNode d = defs.addObject();
      d.put("name", c.name());
      d.put("type", c.type());
      d.put("format", c.name().equals("Name") ? "name" : c.format());
      d.put("description", c.description());
      d.put("priority", c.priority());
    }
    ArrayNode rows = t.putArray("rows");
    for (ObjectNode o : objects) {
      rows.add(row(cols, o, include));
    }
    return t;
  }

  private ObjectNode row(List<Column> cols, ObjectNode o, Include include) {
    ObjectNode r = F.objectNode();
    ArrayNode cells = r.putArray("cells");
    for (Column c : cols) {
      Object v;
      try {
        v = c.cell().apply(o);
      } catch (RuntimeException e) {
        v = "<unknown>";
      }
      if (v instanceof Number n) {
        cells.add(n.longValue());
      } else {
        cells.add(String.valueOf(v));
      }
    }
    switch (include) {
      case OBJECT -> r.set("object", o);
      case METADATA -> {
        ObjectNode p = r.putObject("object");
        p.put("kind", "PartialObjectMetadata");
        p.put("apiVersion", "meta.k8s.io/v1");
        p.set("metadata", o.path("metadata"));
      }
      case NONE -> { }
    }
    return r;
  }

  private String age(JsonNode o) {
    return ago(o.path("metadata").path("creationTimestamp").asText(""));
  }

  private String ago(String rfc3339) {
    if (rfc3339.isEmpty()) {
      return "<unknown>";
    }
    try {
      return HumanDuration.format(Duration.between(Instant.parse(rfc3339), clock.instant()));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }

  private String eventLastSeen(JsonNode o) {
    for (String f : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
      if (o.hasNonNull(f)) {
        return ago(o.path(f).asText());
      }
    }
    return age(o);
  }

  private static long num(JsonNode o, String part, String field) {
    return o.path(part).path(field).asLong(0);
  }

  private static String none(String s) {
    return s == null || s.isEmpty() ? "<none>" : s;
  }

  private static String unknown(String s) {
    return s == null || s.isEmpty() ? "<unknown>" : s;
  }

  private static String text(JsonNode n, String dflt) {
    return n.isMissingNode() || n.isNull() || n.asText().isEmpty() ? dflt : n.asText();
  }

  private static String mapText(JsonNode m) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : m.properties()) {
      parts.add(e.getKey() + "=" + e.getValue().asText());
    }
    return String.join(",", parts);
  }

  private static String podReady(JsonNode o) {
    int total = o.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode cs : o.path("status").path("containerStatuses")) {
      if (cs.path("ready").asBoolean(false)) {
        ready++;
      }
    }
    return ready + "/" + total;
  }

  /** The STATUS column as kubectl prints it (phase, or the reason a container waits or ended). */
  static String podStatus(JsonNode o) {
    JsonNode status = o.path("status");
    String reason = status.path("phase").asText("");
    if (reason.isEmpty()) {
      reason = "Pending";
    }
    if (!status.path("reason").asText("").isEmpty()) {
      reason = status.path("reason").asText();
    }
    int i = 0;
    boolean initializing = false;
    for (JsonNode cs : status.path("initContainerStatuses")) {
      JsonNode state = cs.path("state");
      if (state.has("terminated") && state.path("terminated").path("exitCode").asInt() == 0) {
        i++;
        continue;
      }
      initializing = true;
      if (state.has("terminated")) {
        String r = state.path("terminated").path("reason").asText("");
        reason = r.isEmpty() ? "Init:ExitCode:" + state.path("terminated").path("exitCode").asInt() : "Init:" + r;
      } else if (state.has("waiting") && !state.path("waiting").path("reason").asText("").isEmpty()
          && !state.path("waiting").path("reason").asText().equals("PodInitializing")) {
        reason = "Init:" + state.path("waiting").path("reason").asText();
      } else {
        reason = "Init:" + i + "/" + o.path("spec").path("initContainers").size();
      }
      break;
    }
    if (!initializing) {
      boolean hasRunning = false;
      JsonNode statuses = status.path("containerStatuses");
      for (int k = statuses.size() - 1; k >= 0; k--) {
        JsonNode state = statuses.get(k).path("state");
        if (state.has("waiting") && !state.path("waiting").path("reason").asText("").isEmpty()) {
          reason = state.path("waiting").path("reason").asText();
        } else if (state.has("terminated")) {
          String r = state.path("terminated").path("reason").asText("");
          reason = !r.isEmpty() ? r : state.path("terminated").has("signal")
              ? "Signal:" + state.path("terminated").path("signal").asInt()
              : "ExitCode:" + state.path("terminated").path("exitCode").asInt();
        } else if (state.has("running") && statuses.get(k).path("ready").asBoolean(false)) {
          hasRunning = true;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        reason = "Running";
      }
    }
    if (o.path("metadata").hasNonNull("deletionTimestamp") && !"NodeLost".equals(status.path("reason").asText())) {
      reason = "Terminating";
    }
    return reason;
  }

  private static Object podRestarts(JsonNode o) {
    long restarts = 0;
    for (JsonNode cs : o.path("status").path("containerStatuses")) {
      restarts += cs.path("restartCount").asLong(0);
    }
    return restarts;
  }

  private static String readinessGates(JsonNode o) {
    JsonNode gates = o.path("spec").path("readinessGates");
    if (gates.isEmpty()) {
      return "<none>";
    }
    int ok = 0;
    for (JsonNode g : gates) {
      for (JsonNode c : o.path("status").path("conditions")) {
        if (c.path("type").asText().equals(g.path("conditionType").asText()) && c.path("status").asText().equals("True")) {
          ok++;
        }
      }
    }
    return ok + "/" + gates.size();
  }

  private static String containers(JsonNode o, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : o.path("spec").path("template").path("spec").path("containers")) {
      out.add(c.path(field).asText(""));
    }
    return String.join(",", out);
  }

  /** A label selector in kubectl's text form. */
  public static String selector(JsonNode o) {
    JsonNode sel = o.path("spec").path("selector");
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : sel.path("matchLabels").properties()) {
      parts.add(e.getKey() + "=" + e.getValue().asText());
    }
    for (JsonNode req : sel.path("matchExpressions")) {
      String key = req.path("key").asText();
      List<String> values = new ArrayList<>();
      req.path("values").forEach(v -> values.add(v.asText()));
      parts.add(switch (req.path("operator").asText()) {
        case "In" -> key + " in (" + String.join(",", values) + ")";
        case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
        case "Exists" -> key;
        case "DoesNotExist" -> "!" + key;
        default -> key;
      });
    }
    return parts.isEmpty() ? "<none>" : String.join(",", parts);
  }

  private static String nodeStatus(JsonNode o) {
    String ready = "Unknown";
    for (JsonNode c : o.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        ready = c.path("status").asText().equals("True") ? "Ready" : "NotReady";
      }
    }
    if (o.path("spec").path("unschedulable").asBoolean(false)) {
      ready += ",SchedulingDisabled";
    }
    return ready;
  }

  private static String nodeRoles(JsonNode o) {
    List<String> roles = new ArrayList<>();
    for (Iterator<String> it = o.path("metadata").path("labels").fieldNames(); it.hasNext(); ) {
      String l = it.next();
      if (l.startsWith("node-role.kubernetes.io/")) {
        roles.add(l.substring("node-role.kubernetes.io/".length()));
      } else if (l.equals("kubernetes.io/role")) {
        roles.add(o.path("metadata").path("labels").path(l).asText());
      }
    }
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String address(JsonNode o, String type) {
    for (JsonNode a : o.path("status").path("addresses")) {
      if (a.path("type").asText().equals(type)) {
        return a.path("address").asText();
      }
    }
    return "";
  }

  private static String externalIps(JsonNode o) {
    List<String> ips = new ArrayList<>();
    for (JsonNode ing : o.path("status").path("loadBalancer").path("ingress")) {
      ips.add(ing.has("ip") ? ing.path("ip").asText() : ing.path("hostname").asText());
    }
    o.path("spec").path("externalIPs").forEach(n -> ips.add(n.asText()));
    if (ips.isEmpty()) {
      return o.path("spec").path("type").asText().equals("LoadBalancer") ? "<pending>" : "<none>";
    }
    return String.join(",", ips);
  }

  private static String servicePorts(JsonNode o) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : o.path("spec").path("ports")) {
      String s = p.path("port").asText();
      if (p.has("nodePort")) {
        s += ":" + p.path("nodePort").asText();
      }
      out.add(s + "/" + p.path("protocol").asText("TCP"));
    }
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  private static String endpoints(JsonNode o) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : o.path("subsets")) {
      for (JsonNode a : s.path("addresses")) {
        if (s.path("ports").isEmpty()) {
          out.add(a.path("ip").asText());
        }
        for (JsonNode p : s.path("ports")) {
          out.add(a.path("ip").asText() + ":" + p.path("port").asText());
        }
      }
    }
    if (out.isEmpty()) {
      return "<none>";
    }
    return out.size() > 3 ? String.join(",", out.subList(0, 3)) + " + " + (out.size() - 3) + " more..."
        : String.join(",", out);
  }

  private static String jobStatus(JsonNode o) {
    for (JsonNode c : o.path("status").path("conditions")) {
      if (c.path("status").asText().equals("True")) {
        String t = c.path("type").asText();
        if (t.equals("Complete")) {
          return "Complete";
        }
        if (t.equals("Failed")) {
          return "Failed";
        }
      }
    }
    return o.path("status").path("active").asLong(0) > 0 ? "Running" : "Pending";
  }

  private static String roleRef(JsonNode o) {
    return o.path("roleRef").path("kind").asText() + "/" + o.path("roleRef").path("name").asText();
  }

  private static String ingressHosts(JsonNode o) {
    List<String> hosts = new ArrayList<>();
    for (JsonNode r : o.path("spec").path("rules")) {
      hosts.add(r.path("host").asText("*"));
    }
    return hosts.isEmpty() ? "*" : String.join(",", hosts);
  }
}
