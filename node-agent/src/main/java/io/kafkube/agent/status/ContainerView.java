package io.kafkube.agent.status;

import io.kafkube.agent.runtime.ContainerInstance;

/**
 * What the agent knows of one container of a pod when it computes the pod's status.
 *
 * @param current        the latest instance, or null when none was started
 * @param previous       the instance before it, or null
 * @param waitingReason  set when the container waits for the agent (CrashLoopBackOff, ErrImagePull,
 *                       CreateContainerConfigError, PodInitializing, …), else null
 * @param ready          the readiness of a running container
 * @param started        whether its startup probe (if any) passed
 */
public record ContainerView(String name, String image, ContainerInstance current, ContainerInstance previous,
    String waitingReason, String waitingMessage, boolean ready, boolean started) {

  public static ContainerView notStarted(String name, String image, String reason, String message) {
    return new ContainerView(name, image, null, null, reason, message, false, false);
  }
}
