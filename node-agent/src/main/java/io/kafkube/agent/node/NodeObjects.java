package io.kafkube.agent.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * The Node and Lease objects an agent writes, as kubelet builds them: labels, capacity and
 * allocatable, addresses, node info, and the Ready / MemoryPressure / DiskPressure / PIDPressure
 * conditions with kubelet's reasons and messages. Kubernetes JSON, converted by the caller.
 */
public final class NodeObjects {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  public static final String KUBELET_VERSION = "v1.32.0-kafkube";
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  /** kubelet's hard eviction thresholds: memory.available &lt; 100Mi, nodefs.available &lt; 10%. */
  static final long MEMORY_PRESSURE_BYTES = 100L * 1024 * 1024;

  private NodeObjects() {}

  /** What the node offers and how it is doing. */
  public record Machine(String cpu, String memory, String ephemeralStorage, int pods, boolean memoryPressure,
      boolean diskPressure, boolean pidPressure, String osImage, String kernel, String arch, String machineId,
      String bootId) {

    /** This machine, with cpu and memory overridable (null: measured). */
    public static Machine measure(Path dataDir, String cpu, String memory, int pods) {
      long totalMem = 0;
      long freeMem = Long.MAX_VALUE;
      if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
        totalMem = os.getTotalMemorySize();
        freeMem = os.getFreeMemorySize();
      }
      long disk = 0;
      boolean diskPressure = false;
      try {
        Files.createDirectories(dataDir);
        FileStore fs = Files.getFileStore(dataDir);
        disk = fs.getTotalSpace();
        diskPressure = fs.getTotalSpace() > 0 && fs.getUsableSpace() * 10 < fs.getTotalSpace();
      } catch (IOException e) {
        // unknown: no pressure reported
      }
      return new Machine(cpu != null ? cpu : Integer.toString(Runtime.getRuntime().availableProcessors()),
          memory != null ? memory : (totalMem / 1024) + "Ki", (disk / 1024) + "Ki", pods,
          memory == null && freeMem < MEMORY_PRESSURE_BYTES, diskPressure, false, readOsImage(),
          System.getProperty("os.version"), hostArch(), readId("/etc/machine-id"),
          readId("/proc/sys/kernel/random/boot_id"));
    }

    /** A virtual machine of a simulated node: fixed capacity, never under pressure. */
    public static Machine simulated(String cpu, String memory, int pods) {
      return new Machine(cpu == null ? "32" : cpu, memory == null ? "256Gi" : memory, "1Ti", pods, false, false, false,
          "kafkube simulated node", "simulated", "amd64", "", "");
    }
  }

  /**
   * The Node as the agent registers it (and reports its status); {@code kubeletPort} is where its server
   * listens ({@code status.daemonEndpoints.kubeletEndpoint.Port}), 0 when it serves nothing.
   */
  public static ObjectNode node(String name, String podCidr, String runtime, Machine m, Instant now,
      ObjectNode oldConditions, int kubeletPort) {
    ObjectNode root = F.objectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "Node");
    ObjectNode meta = root.putObject("metadata");
    meta.put("name", name);
    ObjectNode labels = meta.putObject("labels");
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", m.arch());
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("beta.kubernetes.io/arch", m.arch());
    labels.put("node.kafkube.io/runtime", runtime);
    if (podCidr != null) {
      ObjectNode spec = root.putObject("spec");
      spec.put("podCIDR", podCidr);
      spec.putArray("podCIDRs").add(podCidr);
    }
    ObjectNode status = root.putObject("status");
    ObjectNode cap = status.putObject("capacity");
    cap.put("cpu", m.cpu());
    cap.put("memory", m.memory());
    cap.put("ephemeral-storage", m.ephemeralStorage());
    cap.put("pods", Integer.toString(m.pods()));
    status.set("allocatable", cap.deepCopy());
    ArrayNode conds = status.putArray("conditions");
    String t = time(now);
    conds.add(condition(oldConditions, "MemoryPressure", m.memoryPressure(),
        m.memoryPressure() ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
        m.memoryPressure() ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available", t));
    conds.add(condition(oldConditions, "DiskPressure", m.diskPressure(),
        m.diskPressure() ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
        m.diskPressure() ? "kubelet has disk pressure" : "kubelet has no disk pressure", t));
    conds.add(condition(oldConditions, "PIDPressure", m.pidPressure(),
        m.pidPressure() ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
        m.pidPressure() ? "kubelet has insufficient PID available" : "kubelet has sufficient PID available", t));
    conds.add(condition(oldConditions, "Ready", true, "KubeletReady", "kubelet is posting ready status", t));
    ArrayNode addresses = status.putArray("addresses");
    addresses.addObject().put("type", "InternalIP").put("address", "127.0.0.1");
    addresses.addObject().put("type", "Hostname").put("address", name);
    status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", kubeletPort);
    ObjectNode info = status.putObject("nodeInfo");
    info.put("machineID", m.machineId());
    info.put("systemUUID", UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
    info.put("bootID", m.bootId());
    info.put("kernelVersion", m.kernel());
    info.put("osImage", m.osImage());
    info.put("containerRuntimeVersion", runtime + "://0.1.0");
    info.put("kubeletVersion", KUBELET_VERSION);
    info.put("kubeProxyVersion", KUBELET_VERSION);
    info.put("operatingSystem", "linux");
    info.put("architecture", m.arch());
    return root;
  }

  private static ObjectNode condition(ObjectNode old, String type, boolean status, String reason, String message,
      String now) {
    ObjectNode c = F.objectNode();
    c.put("type", type);
    String s = status ? "True" : "False";
    // Ready is True when the agent posts; the pressure conditions are True when there is pressure.
    c.put("status", s);
    c.put("lastHeartbeatTime", now);
    String transition = now;
    if (old != null && old.has(type) && s.equals(old.get(type).path("status").asText())
        && old.get(type).hasNonNull("lastTransitionTime")) {
      transition = old.get(type).get("lastTransitionTime").asText();
    }
    c.put("lastTransitionTime", transition);
    c.put("reason", reason);
    c.put("message", message);
    return c;
  }

  /** The node's Lease in {@code kube-node-lease}, renewed at {@code now}. */
  public static ObjectNode lease(String nodeName, String nodeUid, long durationSeconds, Instant now) {
    ObjectNode root = F.objectNode();
    root.put("apiVersion", "coordination.k8s.io/v1");
    root.put("kind", "Lease");
    ObjectNode meta = root.putObject("metadata");
    meta.put("name", nodeName);
    meta.put("namespace", LEASE_NAMESPACE);
    if (nodeUid != null) {
      ObjectNode owner = meta.putArray("ownerReferences").addObject();
      owner.put("apiVersion", "v1");
      owner.put("kind", "Node");
      owner.put("name", nodeName);
      owner.put("uid", nodeUid);
    }
    ObjectNode spec = root.putObject("spec");
    spec.put("holderIdentity", nodeName);
    spec.put("leaseDurationSeconds", durationSeconds);
    spec.put("renewTime", microTime(now));
    return root;
  }

  public static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code meta.v1.MicroTime}: RFC 3339 with microseconds. */
  public static String microTime(Instant t) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
        .withZone(java.time.ZoneOffset.UTC).format(t.truncatedTo(ChronoUnit.MICROS));
  }

  private static String readOsImage() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return System.getProperty("os.name");
  }

  private static String hostArch() {
    String a = System.getProperty("os.arch", "amd64");
    return switch (a) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> a;
    };
  }

  private static String readId(String file) {
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      return "";
    }
  }
}
