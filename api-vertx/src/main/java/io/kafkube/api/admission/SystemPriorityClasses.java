package io.kafkube.api.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The PriorityClasses kube-apiserver creates at start ({@code system-node-critical},
 * {@code system-cluster-critical}), written through the store with the default RBAC policy.
 */
public final class SystemPriorityClasses {
  private static final ObjectMapper M = new ObjectMapper();

  private SystemPriorityClasses() {}

  public static List<ObjectNode> objects() {
    List<ObjectNode> out = new ArrayList<>();
    for (Map.Entry<String, Integer> e : new TreeMap<>(PriorityAdmission.SYSTEM_CLASSES).entrySet()) {
      ObjectNode pc = M.createObjectNode();
      pc.put("apiVersion", "scheduling.k8s.io/v1");
      pc.put("kind", "PriorityClass");
      pc.putObject("metadata").put("name", e.getKey());
      pc.put("value", e.getValue());
      pc.put("description", "Used for system critical pods that must not be moved from their current node.");
      out.add(pc);
    }
    return out;
  }
}
