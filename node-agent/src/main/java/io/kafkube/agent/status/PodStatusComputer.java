package io.kafkube.agent.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.agent.runtime.ContainerInstance;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod status kubelet publishes, computed from what the agent knows (pure: time is passed in).
 * Phase after kubelet's {@code getPhase}; conditions {@code PodReadyToStartContainers},
 * {@code Initialized}, {@code Ready}, {@code ContainersReady} (and {@code PodScheduled} kept) after
 * {@code status.Generate*Condition}; container statuses after {@code convertToAPIContainerStatuses}.
 * The result is Kubernetes JSON ({@code PodStatus}).
 */
public final class PodStatusComputer {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> OWN_CONDITIONS =
      Set.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");

  private PodStatusComputer() {}

  /**
   * Inputs of one computation.
   *
   * @param spec         the pod's spec (JSON)
   * @param oldStatus    the status the store has (JSON), or null
   * @param containers   a view per init and regular container, by name
   * @param podIP        the sandbox address, or null before it exists
   * @param terminal     the pod is being deleted and none of its containers runs any more
   */
  public record Input(JsonNode spec, JsonNode oldStatus, Map<String, ContainerView> containers, String podIP,
      String hostIP, Instant startTime, boolean terminal, Instant now) {}

  public static ObjectNode compute(Input in) {
    JsonNode spec = in.spec();
    JsonNode old = in.oldStatus() == null ? F.objectNode() : in.oldStatus();
    ObjectNode st = F.objectNode();

    ArrayNode initStatuses = F.arrayNode();
    for (JsonNode c : spec.path("initContainers")) {
      initStatuses.add(containerStatus(c, in.containers().get(c.path("name").asText())));
    }
    ArrayNode statuses = F.arrayNode();
    for (JsonNode c : spec.path("containers")) {
      statuses.add(containerStatus(c, in.containers().get(c.path("name").asText())));
    }

    String phase = phase(spec, initStatuses, statuses, in.terminal());
    String oldPhase = old.path("phase").asText("");
    st.put("phase", phase);
    if (oldPhase.equals("Succeeded") || oldPhase.equals("Failed")) {
      st.put("phase", oldPhase); // a terminal phase never changes back, nor its reason
      phase = oldPhase;
      if (old.hasNonNull("reason")) {
        st.set("reason", old.get("reason"));
      }
      if (old.hasNonNull("message")) {
        st.set("message", old.get("message"));
      }
    }

    ArrayNode conditions = st.putArray("conditions");
    Instant now = in.now().truncatedTo(ChronoUnit.SECONDS);
    conditions.add(condition(old, "PodReadyToStartContainers", in.podIP() != null && !in.terminal(), null, null, now));
    initialized(spec, initStatuses, statuses, phase, old, now, conditions);
    ObjectNode containersReady = containersReady(spec, statuses, phase, old, now);
    ObjectNode ready = containersReady.deepCopy();
    ready.put("type", "Ready");
    ready.set("lastTransitionTime", transition(old, "Ready", ready.path("status").asText(), now));
    conditions.add(ready);
    conditions.add(containersReady);
    JsonNode scheduled = find(old, "PodScheduled");
    if (scheduled != null) {
      conditions.add(scheduled.deepCopy());
    } else {
      conditions.add(condition(old, "PodScheduled", true, null, null, now));
    }
    for (JsonNode c : old.path("conditions")) {
      if (!OWN_CONDITIONS.contains(c.path("type").asText())) {
        conditions.add(c.deepCopy());
      }
    }

    if (in.hostIP() != null) {
      st.put("hostIP", in.hostIP());
      st.putArray("hostIPs").addObject().put("ip", in.hostIP());
    }
    if (in.podIP() != null) {
      st.put("podIP", in.podIP());
      st.putArray("podIPs").addObject().put("ip", in.podIP());
    }
    if (in.startTime() != null) {
      st.put("startTime", time(in.startTime()));
    }
    if (!initStatuses.isEmpty()) {
      st.set("initContainerStatuses", initStatuses);
    }
    st.set("containerStatuses", statuses);
    if (old.hasNonNull("qosClass")) {
      st.set("qosClass", old.get("qosClass"));
    }
    return st;
  }

  // ---- container statuses -----------------------------------------------------------------------

  static ObjectNode containerStatus(JsonNode spec, ContainerView v) {
    ObjectNode cs = F.objectNode();
    String name = spec.path("name").asText();
    cs.put("name", name);
    ObjectNode state = cs.putObject("state");
    ObjectNode last = F.objectNode();
    ContainerInstance cur = v == null ? null : v.current();
    ContainerInstance prev = v == null ? null : v.previous();
    if (v == null) {
      state.putObject("waiting").put("reason", "ContainerCreating");
    } else if (v.waitingReason() != null) {
      ObjectNode w = state.putObject("waiting");
      w.put("reason", v.waitingReason());
      if (v.waitingMessage() != null) {
        w.put("message", v.waitingMessage());
      }
      if (cur != null && cur.exited()) {
        last.set("terminated", terminated(cur));
      } else if (prev != null && prev.exited()) {
        last.set("terminated", terminated(prev));
      }
    } else if (cur == null || cur.state() == ContainerInstance.State.CREATED) {
      state.putObject("waiting").put("reason", "ContainerCreating");
      if (prev != null && prev.exited()) {
        last.set("terminated", terminated(prev));
      }
    } else if (cur.running()) {
      state.putObject("running").put("startedAt", time(cur.startedAt()));
      if (prev != null && prev.exited()) {
        last.set("terminated", terminated(prev));
      }
    } else {
      state.set("terminated", terminated(cur));
      if (prev != null && prev.exited()) {
        last.set("terminated", terminated(prev));
      }
    }
    cs.set("lastState", last);
    boolean running = cur != null && cur.running() && (v.waitingReason() == null);
    cs.put("ready", running && v.ready());
    cs.put("restartCount", cur == null ? 0 : cur.attempt());
    cs.put("image", spec.path("image").asText(v == null ? "" : v.image()));
    cs.put("imageID", "");
    if (cur != null && cur.id() != null && cur.state() != ContainerInstance.State.CREATED) {
      cs.put("containerID", cur.id());
    }
    cs.put("started", running && v.started());
    return cs;
  }

  private static ObjectNode terminated(ContainerInstance i) {
    ObjectNode t = F.objectNode();
    t.put("exitCode", i.exitCode() == null ? 0 : i.exitCode());
    if (i.reason() != null) {
      t.put("reason", i.reason());
    }
    if (i.message() != null) {
      t.put("message", i.message());
    }
    if (i.startedAt() != null) {
      t.put("startedAt", time(i.startedAt()));
    }
    if (i.finishedAt() != null) {
      t.put("finishedAt", time(i.finishedAt()));
    }
    if (i.id() != null) {
      t.put("containerID", i.id());
    }
    return t;
  }

  // ---- phase ------------------------------------------------------------------------------------

  /** kubelet's getPhase over the computed statuses (restartable init containers are not supported). */
  static String phase(JsonNode spec, ArrayNode initStatuses, ArrayNode statuses, boolean terminal) {
    String policy = spec.path("restartPolicy").asText("Always");
    int pendingInit = 0;
    int failedInit = 0;
    for (JsonNode s : initStatuses) {
      JsonNode state = s.path("state");
      if (state.has("running")) {
        pendingInit++;
      } else if (state.has("terminated")) {
        if (state.path("terminated").path("exitCode").asInt() != 0) {
          failedInit++;
        }
      } else if (state.has("waiting")) {
        JsonNode lt = s.path("lastState").path("terminated");
        if (!lt.isMissingNode()) {
          if (lt.path("exitCode").asInt() != 0) {
            failedInit++;
          }
        } else {
          pendingInit++;
        }
      } else {
        pendingInit++;
      }
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (JsonNode s : statuses) {
      JsonNode state = s.path("state");
      if (state.has("running")) {
        running++;
      } else if (state.has("terminated")) {
        stopped++;
        if (state.path("terminated").path("exitCode").asInt() == 0) {
          succeeded++;
        }
      } else if (s.path("lastState").has("terminated")) {
        stopped++;
      } else {
        waiting++;
      }
    }
    if (failedInit > 0 && policy.equals("Never")) {
      return "Failed";
    }
    if (pendingInit > 0 && !terminal) {
      return "Pending";
    }
    if (waiting > 0 && !terminal) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    if (stopped > 0 || terminal) {
      if (terminal) {
        return stopped == succeeded && waiting == 0 && stopped > 0 ? "Succeeded" : "Failed";
      }
      if (policy.equals("Always")) {
        return "Running";
      }
      if (stopped == succeeded) {
        return "Succeeded";
      }
      if (policy.equals("Never")) {
        return "Failed";
      }
      return "Running";
    }
    return "Pending";
  }

  // ---- conditions -------------------------------------------------------------------------------

  private static void initialized(JsonNode spec, ArrayNode initStatuses, ArrayNode statuses, String phase,
      JsonNode old, Instant now, ArrayNode out) {
    List<String> incomplete = new ArrayList<>();
    for (JsonNode s : initStatuses) {
      JsonNode t = s.path("state").path("terminated");
      if (t.isMissingNode() || t.path("exitCode").asInt() != 0) {
        incomplete.add(s.path("name").asText());
      }
    }
    boolean anyStarted = false;
    for (JsonNode s : statuses) {
      if (s.path("state").has("running") || s.path("state").has("terminated")
          || s.path("lastState").has("terminated")) {
        anyStarted = true;
      }
    }
    if (phase.equals("Succeeded")) {
      out.add(condition(old, "Initialized", true, "PodCompleted", null, now));
    } else if (incomplete.isEmpty() || anyStarted) {
      out.add(condition(old, "Initialized", true, null, null, now));
    } else {
      out.add(condition(old, "Initialized", false, "ContainersNotInitialized",
          "containers with incomplete status: " + goList(incomplete), now));
    }
  }

  private static ObjectNode containersReady(JsonNode spec, ArrayNode statuses, String phase, JsonNode old,
      Instant now) {
    if (phase.equals("Succeeded")) {
      return condition(old, "ContainersReady", false, "PodCompleted", null, now);
    }
    List<String> unready = new ArrayList<>();
    for (JsonNode s : statuses) {
      if (!s.path("ready").asBoolean()) {
        unready.add(s.path("name").asText());
      }
    }
    if (unready.isEmpty()) {
      return condition(old, "ContainersReady", true, null, null, now);
    }
    return condition(old, "ContainersReady", false, "ContainersNotReady",
        "containers with unready status: " + goList(unready), now);
  }

  private static ObjectNode condition(JsonNode old, String type, boolean status, String reason, String message,
      Instant now) {
    ObjectNode c = F.objectNode();
    c.put("type", type);
    String s = status ? "True" : "False";
    c.put("status", s);
    c.set("lastTransitionTime", transition(old, type, s, now));
    if (reason != null) {
      c.put("reason", reason);
    }
    if (message != null) {
      c.put("message", message);
    }
    return c;
  }

  /** The old transition time when the condition keeps its status, else now. */
  private static JsonNode transition(JsonNode old, String type, String status, Instant now) {
    JsonNode prev = find(old, type);
    if (prev != null && status.equals(prev.path("status").asText()) && prev.hasNonNull("lastTransitionTime")) {
      return prev.get("lastTransitionTime");
    }
    return F.textNode(time(now));
  }

  private static JsonNode find(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  /** Go's {@code %s} of a string slice: {@code [a b]}. */
  private static String goList(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }

  public static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
