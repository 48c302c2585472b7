package io.kafkube.api.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a pod's container is served (its node agent's address and port), decided from the pod and its
 * Node as kube-apiserver and kubelet do, or the error they answer: a container name is required when the
 * pod has several, must be one of the pod's, the pod must be on a node, and the container must have
 * started (for logs: be running or have terminated; with {@code previous}, have terminated before).
 */
public record PodTarget(String node, String host, int port, String container) {

  /** The container a request is about (the {@code container} parameter or the pod's only one). */
  public static String container(JsonNode pod, String requested) {
    String name = pod.path("metadata").path("name").asText();
    List<String> containers = names(pod.path("spec").path("containers"));
    List<String> init = names(pod.path("spec").path("initContainers"));
    List<String> ephemeral = names(pod.path("spec").path("ephemeralContainers"));
    if (requested == null || requested.isEmpty()) {
      if (containers.size() == 1) {
        return containers.get(0);
      }
      String msg = "a container name must be specified for pod " + name + ", choose one of: " + containers;
      if (!init.isEmpty()) {
        msg += " or one of the init containers: " + init;
      }
      if (!ephemeral.isEmpty()) {
        msg += " or one of the ephemeral containers: " + ephemeral;
      }
      throw ApiException.badRequest(msg);
    }
    if (!containers.contains(requested) && !init.contains(requested) && !ephemeral.contains(requested)) {
      throw ApiException.badRequest("container " + requested + " is not valid for pod " + name);
    }
    return requested;
  }

  /** For logs: kubelet's checks of the container's status. */
  public static void checkLogs(JsonNode pod, String container, boolean previous) {
    String name = pod.path("metadata").path("name").asText();
    JsonNode st = status(pod, container);
    if (st == null) {
      throw ApiException.badRequest("container \"" + container + "\" in pod \"" + name
          + "\" is waiting to start: " + (pod.path("spec").path("nodeName").asText().isEmpty()
          ? "PodScheduling" : "ContainerCreating"));
    }
    boolean lastTerminated = st.path("lastState").has("terminated");
    if (previous) {
      if (!lastTerminated) {
        throw ApiException.badRequest("previous terminated container \"" + container + "\" in pod \"" + name
            + "\" not found");
      }
      return;
    }
    JsonNode state = st.path("state");
    if (state.has("running") || state.has("terminated") || lastTerminated) {
      return;
    }
    String reason = state.path("waiting").path("reason").asText("ContainerCreating");
    throw ApiException.badRequest("container \"" + container + "\" in pod \"" + name + "\" is waiting to start: "
        + (reason.isEmpty() ? "ContainerCreating" : reason));
  }

  /** For exec: the container must be running. */
  public static void checkRunning(JsonNode pod, String container) {
    String name = pod.path("metadata").path("name").asText();
    String phase = pod.path("status").path("phase").asText();
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      throw ApiException.badRequest("cannot exec into a container in a completed pod; current phase is " + phase);
    }
    JsonNode st = status(pod, container);
    if (st == null || !st.path("state").has("running")) {
      String reason = st == null ? "ContainerCreating" : st.path("state").path("waiting").path("reason")
          .asText("ContainerCreating");
      throw ApiException.badRequest("container \"" + container + "\" in pod \"" + name + "\" is waiting to start: "
          + (reason.isEmpty() ? "ContainerCreating" : reason));
    }
  }

  /** The node's agent: its InternalIP (else first address) and {@code daemonEndpoints.kubeletEndpoint.Port}. */
  public static PodTarget of(JsonNode pod, JsonNode node, String container) {
    String nodeName = pod.path("spec").path("nodeName").asText();
    String host = null;
    for (JsonNode a : node.path("status").path("addresses")) {
      if (a.path("type").asText().equals("InternalIP")) {
        host = a.path("address").asText();
        break;
      }
    }
    if (host == null && node.path("status").path("addresses").size() > 0) {
      host = node.path("status").path("addresses").get(0).path("address").asText();
    }
    int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
    if (host == null || port <= 0) {
      throw ApiException.of(503, "ServiceUnavailable", "node " + nodeName + " advertises no endpoint for logs "
          + "and exec (status.daemonEndpoints.kubeletEndpoint.Port)");
    }
    return new PodTarget(nodeName, host, port, container);
  }

  private static JsonNode status(JsonNode pod, String container) {
    for (String list : List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
      for (JsonNode s : pod.path("status").path(list)) {
        if (s.path("name").asText().equals(container)) {
          return s;
        }
      }
    }
    return null;
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(c -> out.add(c.path("name").asText()));
    return out;
  }
}
