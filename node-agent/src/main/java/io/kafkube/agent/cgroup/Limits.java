package io.kafkube.agent.cgroup;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.schemas.validation.Quantity;

/**
 * A container's {@code resources.limits} as a cgroup applies them.
 *
 * @param memoryBytes the memory limit, or 0 for none
 * @param cpuMillis   the CPU limit in millicores, or 0 for none
 */
public record Limits(long memoryBytes, long cpuMillis) {
  public static final Limits NONE = new Limits(0, 0);

  public boolean any() {
    return memoryBytes > 0 || cpuMillis > 0;
  }

  /** The limits of a container spec (Kubernetes JSON). */
  public static Limits of(JsonNode container) {
    JsonNode l = container.path("resources").path("limits");
    long mem = l.hasNonNull("memory") ? Quantity.parse(l.get("memory").asText()).value() : 0;
    long cpu = l.hasNonNull("cpu") ? Quantity.parse(l.get("cpu").asText()).milliValue() : 0;
    return new Limits(Math.max(0, mem), Math.max(0, cpu));
  }
}
