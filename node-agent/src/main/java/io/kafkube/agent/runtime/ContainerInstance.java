package io.kafkube.agent.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * One run (attempt) of a container as the runtime knows it, as CRI's ContainerStatus: created (not
 * yet running), running, or exited with an exit code.
 *
 * @param attempt  0 for the first run; kubelet's restartCount of this instance
 * @param id       the runtime's container id, e.g. {@code process://1234}
 * @param reason   for an exited instance: {@code Completed}, {@code Error}, {@code OOMKilled}, {@code StartError}
 */
public record ContainerInstance(String name, int attempt, String id, State state, Instant createdAt,
    Instant startedAt, Instant finishedAt, Integer exitCode, String reason, String message) {

  public enum State { CREATED, RUNNING, EXITED }

  public ContainerInstance {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
  }

  public static ContainerInstance created(String name, int attempt, String id, Instant now) {
    return new ContainerInstance(name, attempt, id, State.CREATED, now, null, null, null, null, null);
  }

  public static ContainerInstance running(String name, int attempt, String id, Instant created, Instant started) {
    return new ContainerInstance(name, attempt, id, State.RUNNING, created, started, null, null, null, null);
  }

  /** This instance, exited with {@code exitCode} at {@code at}: reason Completed for 0, Error otherwise. */
  public ContainerInstance exited(int exitCode, Instant at, String message) {
    return new ContainerInstance(name, attempt, id, State.EXITED, createdAt, startedAt == null ? at : startedAt, at,
        exitCode, exitCode == 0 ? "Completed" : "Error", message);
  }

  /** This instance, killed by the kernel's OOM killer in its cgroup: kubelet's {@code OOMKilled}, exit code 137. */
  public ContainerInstance oomKilled(Instant at) {
    return new ContainerInstance(name, attempt, id, State.EXITED, createdAt, startedAt == null ? at : startedAt, at,
        137, "OOMKilled", null);
  }

  /** A run that never started: CRI's StartError, exit code 128. */
  public static ContainerInstance startError(String name, int attempt, String id, Instant at, String message) {
    return new ContainerInstance(name, attempt, id, State.EXITED, at, null, at, 128, "StartError", message);
  }

  public boolean running() {
    return state == State.RUNNING;
  }

  public boolean exited() {
    return state == State.EXITED;
  }
}
