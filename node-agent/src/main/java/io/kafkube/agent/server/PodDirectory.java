package io.kafkube.agent.server;

import io.kafkube.agent.runtime.ContainerRuntime;
import java.util.List;
import java.util.Optional;

/** The pods an agent runs, by namespace and name: what its server looks requests up in. */
public interface PodDirectory {

  /** A pod running here: its uid, its containers' names and the runtime that runs them. */
  record Target(String uid, List<String> containers, ContainerRuntime runtime) {}

  Optional<Target> find(String namespace, String name);
}
