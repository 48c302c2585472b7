package io.kafkube.agent.probe;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** A container probe (Kubernetes' {@code Probe}) with its defaults applied. */
public record ProbeSpec(JsonNode handler, Duration initialDelay, Duration period, Duration timeout,
    int successThreshold, int failureThreshold) {

  /** Reads a probe; null when absent. */
  public static ProbeSpec of(JsonNode probe) {
    if (probe == null || probe.isMissingNode() || probe.isNull()) {
      return null;
    }
    return new ProbeSpec(probe,
        Duration.ofSeconds(probe.path("initialDelaySeconds").asLong(0)),
        Duration.ofSeconds(Math.max(1, probe.path("periodSeconds").asLong(10))),
        Duration.ofSeconds(Math.max(1, probe.path("timeoutSeconds").asLong(1))),
        Math.max(1, probe.path("successThreshold").asInt(1)),
        Math.max(1, probe.path("failureThreshold").asInt(3)));
  }
}
