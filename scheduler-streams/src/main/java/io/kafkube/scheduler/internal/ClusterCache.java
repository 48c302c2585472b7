package io.kafkube.scheduler.internal;

import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.Resources;
import io.kafkube.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scheduler's view of the nodes and of what pods claim on them: every pod bound to a node (seen
 * in {@code state.pods}) or assumed onto it (bound by this scheduler, not yet seen bound). A pod may
 * be placed on a node the cache does not know yet; its claim is applied when the node arrives.
 */
final class ClusterCache {
  /** Where a pod claims what; {@code pod} is null for a claim known by its requests only. */
  record Placement(String node, Resources requests, PodInfo pod) {
    void addTo(NodeInfo n) {
      if (pod != null) {
        n.addPod(pod);
      } else {
        n.addPod(requests);
      }
    }

    void removeFrom(NodeInfo n) {
      if (pod != null) {
        n.removePod(pod);
      } else {
        n.removePod(requests);
      }
    }
  }

  private final TreeMap<String, NodeInfo> nodes = new TreeMap<>();
  private List<NodeInfo> nodeList = List.of();
  private boolean nodeListStale;
  private final Map<String, Placement> placements = new HashMap<>();
  private final Map<String, Set<String>> podsByNode = new HashMap<>();

  /** Adds or replaces a node; returns whether what scheduling decides on changed. */
  boolean putNode(NodeInfo node) {
    NodeInfo old = nodes.get(node.name());
    nodeListStale = true;
    if (old != null) {
      nodes.put(node.name(), node.withUsageOf(old));
      return !node.sameSchedulingView(old);
    }
    for (String podKey : podsByNode.getOrDefault(node.name(), Set.of())) {
      placements.get(podKey).addTo(node);
    }
    nodes.put(node.name(), node);
    return true;
  }

  void removeNode(String name) {
    if (nodes.remove(name) != null) {
      nodeListStale = true;
    }
  }

  /** Records that a pod claims its requests on a node (replacing an earlier placement of it). */
  void place(String podKey, String node, Resources requests) {
    Placement old = placements.get(podKey);
    if (old != null && old.pod() == null && old.node().equals(node) && old.requests().equals(requests)) {
      return;
    }
    put(podKey, new Placement(node, requests, null));
  }

  /** Records that a pod is on a node (replacing an earlier placement of it, or its older version). */
  void place(PodInfo pod, String node) {
    Placement old = placements.get(pod.key());
    if (old != null && old.pod() == pod && old.node().equals(node)) {
      return;
    }
    put(pod.key(), new Placement(node, pod.requests(), pod));
  }

  private void put(String podKey, Placement p) {
    remove(podKey);
    placements.put(podKey, p);
    podsByNode.computeIfAbsent(p.node(), n -> new HashSet<>()).add(podKey);
    NodeInfo n = nodes.get(p.node());
    if (n != null) {
      p.addTo(n);
    }
  }

  /** Forgets a pod's claim; returns whether it had one. */
  boolean remove(String podKey) {
    Placement old = placements.remove(podKey);
    if (old == null) {
      return false;
    }
    Set<String> onNode = podsByNode.get(old.node());
    onNode.remove(podKey);
    if (onNode.isEmpty()) {
      podsByNode.remove(old.node());
    }
    NodeInfo n = nodes.get(old.node());
    if (n != null) {
      old.removeFrom(n);
    }
    return true;
  }

  Placement placement(String podKey) {
    return placements.get(podKey);
  }

  /** The ghost placements of each pod, by pod key: their placement keys. */
  private final Map<String, Set<String>> ghosts = new HashMap<>();

  /**
   * Keeps the pod's current placement as a ghost: its BIND was not seen applied in time, but may
   * still be. A ghost claims what the pod would on that node until the pod is seen bound or gone, so
   * that a late BIND never overcommits the node or breaks another pod's constraint.
   */
  void keepAsGhost(String podKey) {
    Placement p = placements.get(podKey);
    if (p != null) {
      remove(podKey);
      String ghostKey = podKey + "\u0000ghost\u0000" + p.node();
      put(ghostKey, p);
      ghosts.computeIfAbsent(podKey, k -> new HashSet<>()).add(ghostKey);
    }
  }

  /** Removes and returns the pod's ghosts (its own cycle is not constrained by them). */
  Map<String, Placement> takeGhosts(String podKey) {
    Set<String> keys = ghosts.remove(podKey);
    if (keys == null) {
      return Map.of();
    }
    Map<String, Placement> out = new HashMap<>();
    for (String k : keys) {
      Placement p = placements.get(k);
      if (p != null) {
        out.put(k, p);
        remove(k);
      }
    }
    return out;
  }

  /** Puts ghosts back, but for the node the pod was just assumed on (that assumption covers it). */
  void restoreGhosts(String podKey, Map<String, Placement> taken, String assumedNode) {
    taken.forEach((k, p) -> {
      if (!p.node().equals(assumedNode)) {
        put(k, p);
        ghosts.computeIfAbsent(podKey, x -> new HashSet<>()).add(k);
      }
    });
  }

  /** Forgets the pod's ghosts; returns whether it had any. */
  boolean removeGhost(String podKey) {
    return !takeGhosts(podKey).isEmpty();
  }

  /** The nodes by name. */
  Collection<NodeInfo> nodes() {
    return nodes.values();
  }

  /** The nodes by name, indexable (a snapshot of the node set, rebuilt when nodes come or go). */
  List<NodeInfo> nodeList() {
    if (nodeListStale) {
      nodeList = new ArrayList<>(nodes.values());
      nodeListStale = false;
    }
    return nodeList;
  }

  NodeInfo node(String name) {
    return nodes.get(name);
  }
}
