package io.kafkube.agent.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What the agent needs of a container runtime (a small CRI): a sandbox (address) per pod, start, stop
 * and inspect the containers of a pod, list what runs (adoption after a restart), logs and exec.
 * Every method is thread-safe and returns promptly; stopping with a grace period completes later.
 */
public interface ContainerRuntime extends AutoCloseable {

  /** {@code process} or {@code simulated}: the scheme of its container ids. */
  String name();

  /** The pod's sandbox, created on first use; its IP stays the same for the pod's life, also across restarts. */
  String sandbox(PodRef pod);

  /** Fails when the runtime cannot run this image (the container then waits with ErrImagePull). */
  void pullImage(String image) throws ImageException;

  /**
   * Starts a container; returns the new instance, running or created, or exited with reason
   * {@code StartError} when it could not be started. An instance of the same attempt is never
   * started twice.
   */
  ContainerInstance start(PodRef pod, StartSpec spec);

  /**
   * Stops the running instance of a container: a polite request (SIGTERM), then a kill after
   * {@code grace}. Completes with the exited instance (at once when it was not running).
   */
  CompletableFuture<ContainerInstance> stop(String podUid, String container, Duration grace);

  /** The latest instance of each container of a pod, and the one before it, newest first per name. */
  List<ContainerInstance> containers(String podUid);

  /** The pods that have a sandbox here, running containers or not (what a restarted agent adopts). */
  Set<String> pods();

  /** Removes a pod's sandbox, its stopped containers and its logs; its containers must be stopped. */
  void removePod(String podUid);

  /** The log of a container's latest (or previous) instance. */
  Optional<String> logs(String podUid, String container, boolean previous);

  /**
   * The log file of a container's latest (or previous) instance, for readers with options and followers
   * (the node agent's {@code containerLogs}); empty when the runtime keeps no such file or has no such instance.
   */
  default Optional<LogFile> logFile(String podUid, String container, boolean previous) {
    return Optional.empty();
  }

  /**
   * Starts a command in a running container's environment with its standard streams as pipes (the node
   * agent's {@code exec}); with {@code tty} on a pseudo-terminal (stderr then is part of stdout).
   *
   * @throws IllegalStateException when the container is not running
   * @throws UnsupportedOperationException when this runtime cannot run commands
   */
  default Process startExec(String podUid, String container, List<String> command, boolean tty)
      throws java.io.IOException {
    throw new UnsupportedOperationException("the " + name() + " runtime cannot run commands in containers");
  }

  /**
   * Sets the terminal size of an exec started with {@code tty} (the exec protocol's resize channel);
   * false when it could not (yet) be applied.
   */
  default boolean resizeTerminal(Process exec, int width, int height) {
    return false;
  }

  /** Runs a command in a running container's environment (exec probes); the exit code, or -1 on timeout. */
  int exec(String podUid, String container, List<String> command, Duration timeout);

  /** Whether pods really listen on their IPs (HTTP and TCP probes are real); false for the simulated runtime. */
  boolean realNetwork();

  /** Called (on any thread) when a container changes state by itself, e.g. exits. */
  void onChange(java.util.function.Consumer<String> podUidListener);

  /** Stops watching; leaves containers running (a restarted agent adopts them). */
  @Override
  void close();

  /** Stops every container (grace as given) and then closes. */
  void stopAll(Duration grace);

  /**
   * What this runtime can enforce: volumes at their mount paths (own mount namespaces) and resource
   * limits (cgroups), with the reason when it cannot, for the node's events.
   */
  default Isolation isolation() {
    return new Isolation(false, false, "the " + name() + " runtime does not enforce limits",
        "the " + name() + " runtime does not mount volumes");
  }

  /** Where the runtime keeps a pod's volumes as directories; empty when it does not materialize volumes. */
  default Optional<java.nio.file.Path> volumesDir(String podUid) {
    return Optional.empty();
  }

  /** @param cgroups whether limits are enforced; {@code cgroupInfo} says how, or why not */
  record Isolation(boolean mountNamespaces, boolean cgroups, String cgroupInfo, String mountInfo) {}
}
