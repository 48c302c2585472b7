package io.kafkube.agent.volume;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.agent.env.ConfigSource;
import io.kafkube.schemas.validation.Quantity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A pod's volumes as files on this machine, as kubelet's volume plugins make them: every volume is a
 * directory {@code <pod dir>/volumes/<name>} (hostPath: the host path itself). emptyDir starts empty
 * and lives as long as the pod; configMap, secret (decoded), downwardAPI and projected volumes hold one
 * file per key or item with its mode ({@code defaultMode} 0644 by default), rewritten when the
 * source changes (kubelet's resync) and pruned of keys that went away.
 *
 * <p>An emptyDir of {@code medium: Memory} is a tmpfs mounted on its directory ({@link HostMounts}),
 * sized as kubelet sizes it, shared by the pod's containers.
 *
 * <p>{@link #prepare} is idempotent: the agent calls it before every container start and on resyncs.
 */
public final class PodVolumes {
  private static final int DEFAULT_MODE = 0644;

  private final JsonNode pod;
  private final Path volumesDir;
  private final ConfigSource config;
  private final TokenSource tokens;
  private final String podIP;
  private final TmpfsMounter mounter;
  private final List<String> warnings = new ArrayList<>();

  /** Mounts a tmpfs of a size on a directory (the host's {@code mount}; tests may refuse it). */
  @FunctionalInterface
  public interface TmpfsMounter {
    void mountTmpfs(Path dir, long sizeBytes) throws IOException;
  }

  /**
   * @param pod        the pod (Kubernetes JSON)
   * @param volumesDir the pod's volume directory, {@code <pod dir>/volumes}
   */
  public PodVolumes(JsonNode pod, Path volumesDir, ConfigSource config, TokenSource tokens, String podIP) {
    this(pod, volumesDir, config, tokens, podIP, HostMounts::mountTmpfs);
  }

  public PodVolumes(JsonNode pod, Path volumesDir, ConfigSource config, TokenSource tokens, String podIP,
      TmpfsMounter mounter) {
    this.pod = pod;
    this.volumesDir = volumesDir;
    this.config = config;
    this.tokens = tokens;
    this.podIP = podIP;
    this.mounter = mounter;
  }

  /** Sets up every volume of the pod; the host directory (or file) of each, by volume name. */
  public Map<String, Path> prepare() throws VolumeException {
    Map<String, Path> out = new LinkedHashMap<>();
    for (JsonNode v : pod.path("spec").path("volumes")) {
      String name = v.path("name").asText();
      out.put(name, prepare(name, v));
    }
    return out;
  }

  private Path prepare(String name, JsonNode v) throws VolumeException {
    try {
      if (v.has("hostPath")) {
        return hostPath(name, v.get("hostPath"));
      }
      Path dir = volumesDir.resolve(name);
      Files.createDirectories(dir);
      if (v.has("emptyDir")) {
        if (v.get("emptyDir").path("medium").asText("").equals("Memory")) {
          memoryMedium(name, v.get("emptyDir"), dir);
        }
        return dir;
      }
      Map<String, FileContent> files = new TreeMap<>();
      if (v.has("configMap")) {
        keyed(name, v.get("configMap"), "configmap", false, mode(v.get("configMap")), files);
      } else if (v.has("secret")) {
        JsonNode s = v.get("secret");
        keyedAs(name, s, s.path("secretName").asText(), "secret", true, mode(s), files);
      } else if (v.has("downwardAPI")) {
        downward(name, v.get("downwardAPI"), mode(v.get("downwardAPI")), files);
      } else if (v.has("projected")) {
        JsonNode p = v.get("projected");
        int mode = mode(p);
        for (JsonNode src : p.path("sources")) {
          if (src.has("configMap")) {
            keyed(name, src.get("configMap"), "configmap", false, mode, files);
          } else if (src.has("secret")) {
            keyedAs(name, src.get("secret"), src.get("secret").path("name").asText(), "secret", true, mode, files);
          } else if (src.has("downwardAPI")) {
            downward(name, src.get("downwardAPI"), mode, files);
          } else if (src.has("serviceAccountToken")) {
            token(name, src.get("serviceAccountToken"), mode, files);
          } else {
            throw new VolumeException(name, "unsupported projected source " + src.fieldNames().next());
          }
        }
      } else {
        String type = v.fieldNames().hasNext() ? firstOtherThanName(v) : "?";
        throw new VolumeException(name, "volume type " + type + " is not supported by this node");
      }
      write(name, dir, files);
      return dir;
    } catch (IOException e) {
      throw new VolumeException(name, e.getMessage());
    }
  }

  /**
   * An emptyDir of {@code medium: Memory}: a tmpfs on the volume's directory, of kubelet's size (see
   * {@link #memoryMediumSize}); where it cannot be mounted the directory stays on disk and
   * {@link #warnings()} says so (the agent makes it a Warning event).
   */
  private void memoryMedium(String name, JsonNode emptyDir, Path dir) {
    long size = memoryMediumSize(pod, emptyDir, machineMemory());
    try {
      mounter.mountTmpfs(dir, size);
    } catch (IOException e) {
      warnings.add("emptyDir volume \"" + name + "\" with medium Memory is a directory on disk: cannot mount a tmpfs "
          + "on this node: " + e.getMessage());
    }
  }

  /**
   * kubelet's size of a memory-backed emptyDir ({@code calculateEmptyDirMemorySize}): the node's memory,
   * lowered to the pod's memory limit (when every container has one: their sum, or the largest init
   * container's if that is more) and then to the volume's {@code sizeLimit}, each only if it is smaller
   * and above zero.
   */
  static long memoryMediumSize(JsonNode pod, JsonNode emptyDir, long nodeMemory) {
    long size = nodeMemory;
    long podLimit = podMemoryLimit(pod.path("spec"));
    if (podLimit > 0 && podLimit <= size) {
      size = podLimit;
    }
    if (emptyDir.hasNonNull("sizeLimit")) {
      long limit = Quantity.parse(emptyDir.get("sizeLimit").asText()).value();
      if (limit > 0 && limit <= size) {
        size = limit;
      }
    }
    return size;
  }

  /** The pod's memory limit as its cgroup would get it; 0 when some container has none (unlimited). */
  private static long podMemoryLimit(JsonNode spec) {
    long sum = 0;
    for (JsonNode c : spec.path("containers")) {
      JsonNode l = c.path("resources").path("limits").path("memory");
      if (l.isMissingNode() || l.isNull()) {
        return 0;
      }
      sum += Quantity.parse(l.asText()).value();
    }
    for (JsonNode c : spec.path("initContainers")) {
      JsonNode l = c.path("resources").path("limits").path("memory");
      if (l.isMissingNode() || l.isNull()) {
        return 0;
      }
      sum = Math.max(sum, Quantity.parse(l.asText()).value());
    }
    return sum;
  }

  /** What {@link #prepare} could not do as asked but worked around (each a Warning event for the pod). */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  private static String firstOtherThanName(JsonNode v) {
    for (var it = v.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("name")) {
        return f;
      }
    }
    return "?";
  }

  private static Path hostPath(String name, JsonNode h) throws IOException, VolumeException {
    Path p = Path.of(h.path("path").asText());
    String type = h.path("type").asText("");
    switch (type) {
      case "DirectoryOrCreate" -> {
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, perms(0755));
      }
      case "FileOrCreate" -> {
        if (!Files.exists(p)) {
          Files.createDirectories(p.getParent());
          Files.createFile(p);
          Files.setPosixFilePermissions(p, perms(0644));
        }
      }
      case "Directory" -> {
        if (!Files.isDirectory(p)) {
          throw new VolumeException(name, "hostPath type check failed: " + p + " is not a directory");
        }
      }
      case "File" -> {
        if (!Files.isRegularFile(p)) {
          throw new VolumeException(name, "hostPath type check failed: " + p + " is not a file");
        }
      }
      case "Socket", "CharDevice", "BlockDevice" -> {
        if (!Files.exists(p)) {
          throw new VolumeException(name, "hostPath type check failed: " + p + " is not a " + type);
        }
      }
      default -> { } // "": no check, as kubelet
    }
    return p;
  }

  /** The keys of a ConfigMap or Secret as files ({@code items} select and rename). */
  private void keyed(String volume, JsonNode ref, String what, boolean secret, int mode,
      Map<String, FileContent> files) throws VolumeException {
    keyedAs(volume, ref, ref.path("name").asText(), what, secret, mode, files);
  }

  private void keyedAs(String volume, JsonNode ref, String objName, String what, boolean secret, int mode,
      Map<String, FileContent> files) throws VolumeException {
    String ns = pod.path("metadata").path("namespace").asText("default");
    boolean optional = ref.path("optional").asBoolean(false);
    Optional<Map<String, String>> data = secret ? config.secret(ns, objName) : config.configMap(ns, objName);
    if (data.isEmpty()) {
      if (optional) {
        return;
      }
      if (!config.ready()) {
        throw new VolumeException(volume, "waiting for the agent's view of " + what + "s to load");
      }
      throw new VolumeException(volume, what + " \"" + objName + "\" not found");
    }
    Map<String, String> d = data.get();
    if (!ref.has("items") || ref.get("items").isEmpty()) {
      for (Map.Entry<String, String> e : d.entrySet()) {
        files.put(e.getKey(), new FileContent(e.getValue().getBytes(StandardCharsets.UTF_8), mode));
      }
      return;
    }
    for (JsonNode item : ref.get("items")) {
      String key = item.path("key").asText();
      String v = d.get(key);
      if (v == null) {
        if (optional) {
          continue;
        }
        throw new VolumeException(volume, what + " references non-existent " + (secret ? "secret" : "config")
            + " key: " + key);
      }
      files.put(checkedPath(volume, item.path("path").asText(key)),
          new FileContent(v.getBytes(StandardCharsets.UTF_8), item.has("mode") ? item.get("mode").asInt() : mode));
    }
  }

  private void downward(String volume, JsonNode d, int mode, Map<String, FileContent> files) throws VolumeException {
    for (JsonNode item : d.path("items")) {
      String path = checkedPath(volume, item.path("path").asText());
      int m = item.has("mode") ? item.get("mode").asInt() : mode;
      String value;
      if (item.has("fieldRef")) {
        value = field(volume, item.get("fieldRef").path("fieldPath").asText());
      } else if (item.has("resourceFieldRef")) {
        value = resource(volume, item.get("resourceFieldRef"));
      } else {
        throw new VolumeException(volume, "downwardAPI item " + path + " has neither fieldRef nor resourceFieldRef");
      }
      files.put(path, new FileContent(value.getBytes(StandardCharsets.UTF_8), m));
    }
  }

  private String field(String volume, String path) throws VolumeException {
    JsonNode meta = pod.path("metadata");
    return switch (path) {
      case "metadata.name" -> meta.path("name").asText();
      case "metadata.namespace" -> meta.path("namespace").asText();
      case "metadata.uid" -> meta.path("uid").asText();
      case "metadata.labels" -> formatMap(meta.path("labels"));
      case "metadata.annotations" -> formatMap(meta.path("annotations"));
      case "spec.nodeName" -> pod.path("spec").path("nodeName").asText();
      case "spec.serviceAccountName" -> pod.path("spec").path("serviceAccountName").asText("");
      case "status.podIP" -> podIP == null ? "" : podIP;
      default -> {
        var m = java.util.regex.Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]").matcher(path);
        if (m.matches()) {
          yield meta.path(m.group(1)).path(m.group(2)).asText("");
        }
        throw new VolumeException(volume, "unsupported fieldRef " + path);
      }
    };
  }

  /** kubelet's format of labels and annotations in a downward-API file: sorted {@code key="value"} lines. */
  static String formatMap(JsonNode m) {
    TreeMap<String, String> sorted = new TreeMap<>();
    m.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
          .replace("\n", "\\n")).append('"');
    }
    return sb.toString();
  }

  /**
   * {@code limits.cpu}, {@code requests.memory}, …: the container's value divided by the divisor, rounded
   * up; a limit that is not set is the node's allocatable (here: this machine's CPUs and memory).
   */
  private String resource(String volume, JsonNode ref) throws VolumeException {
    String cname = ref.path("containerName").asText("");
    JsonNode container = null;
    for (JsonNode c : pod.path("spec").path("containers")) {
      if (cname.isEmpty() || c.path("name").asText().equals(cname)) {
        container = c;
        break;
      }
    }
    if (container == null) {
      throw new VolumeException(volume, "resourceFieldRef: container \"" + cname + "\" not found");
    }
    String res = ref.path("resource").asText();
    int dot = res.indexOf('.');
    if (dot < 0) {
      throw new VolumeException(volume, "unsupported resourceFieldRef " + res);
    }
    String kind = res.substring(0, dot);
    String what = res.substring(dot + 1);
    JsonNode v = container.path("resources").path(kind).path(what);
    if ((v.isMissingNode() || v.isNull()) && kind.equals("requests")) {
      v = container.path("resources").path("limits").path(what);
    }
    BigDecimal amount;
    if (v.isMissingNode() || v.isNull()) {
      amount = switch (what) {
        case "cpu" -> BigDecimal.valueOf(Runtime.getRuntime().availableProcessors());
        case "memory" -> BigDecimal.valueOf(machineMemory());
        default -> BigDecimal.ZERO;
      };
    } else {
      amount = Quantity.parse(v.asText()).decimalValue();
    }
    BigDecimal divisor = ref.hasNonNull("divisor") ? Quantity.parse(ref.get("divisor").asText()).decimalValue()
        : BigDecimal.ONE;
    if (divisor.signum() == 0) {
      divisor = BigDecimal.ONE;
    }
    return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
  }

  private static long machineMemory() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  private void token(String volume, JsonNode t, int mode, Map<String, FileContent> files) throws VolumeException {
    String ns = pod.path("metadata").path("namespace").asText("default");
    String sa = pod.path("spec").path("serviceAccountName").asText("default");
    List<String> aud = t.hasNonNull("audience") ? List.of(t.get("audience").asText()) : List.of();
    long exp = t.path("expirationSeconds").asLong(3607);
    Optional<String> tok;
    try {
      tok = tokens.token(ns, sa, pod.path("metadata").path("name").asText(), pod.path("metadata").path("uid").asText(),
          aud, exp);
    } catch (VolumeException e) {
      throw new VolumeException(volume, e.detail());
    }
    if (tok.isEmpty()) {
      throw new VolumeException(volume, "failed to fetch token: " + tokens.unavailableReason());
    }
    files.put(checkedPath(volume, t.path("path").asText("token")),
        new FileContent(tok.get().getBytes(StandardCharsets.UTF_8), mode == DEFAULT_MODE ? 0600 : mode));
  }

  private static int mode(JsonNode src) {
    return src.has("defaultMode") ? src.get("defaultMode").asInt() : DEFAULT_MODE;
  }

  /** A relative path without {@code ..}, as the API validates it (checked again: the agent writes files). */
  private static String checkedPath(String volume, String p) throws VolumeException {
    if (p.isEmpty() || p.startsWith("/") || Path.of(p).normalize().startsWith("..") || List.of(p.split("/"))
        .contains("..")) {
      throw new VolumeException(volume, "invalid path \"" + p + "\": must be relative and may not contain '..'");
    }
    return p;
  }

  private record FileContent(byte[] bytes, int mode) {}

  /** Writes what differs (atomically per file), removes files that are no longer projected. */
  private static void write(String volume, Path dir, Map<String, FileContent> files) throws IOException {
    for (Map.Entry<String, FileContent> e : files.entrySet()) {
      Path target = dir.resolve(e.getKey());
      FileContent fc = e.getValue();
      Files.createDirectories(target.getParent());
      boolean same = Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), fc.bytes());
      if (!same) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, fc.bytes());
        Files.setPosixFilePermissions(tmp, perms(fc.mode()));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else if (!Files.getPosixFilePermissions(target).equals(perms(fc.mode()))) {
        Files.setPosixFilePermissions(target, perms(fc.mode()));
      }
    }
    List<Path> stale = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        if (p.equals(dir)) {
          return;
        }
        String rel = dir.relativize(p).toString();
        boolean wanted = files.containsKey(rel) || files.keySet().stream().anyMatch(k -> k.startsWith(rel + "/"));
        if (!wanted) {
          stale.add(p);
        }
      });
    }
    for (Path p : stale) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prune " + p + " of volume " + volume, e);
      }
    }
  }

  static Set<PosixFilePermission> perms(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }

  /**
   * A container's {@code volumeMounts} against the pod's prepared volumes: the host source of each
   * ({@code subPath} inside the volume, created as a directory when missing, as kubelet does).
   */
  public static List<VolumeMount> mounts(JsonNode container, Map<String, Path> volumes) throws VolumeException {
    List<VolumeMount> out = new ArrayList<>();
    for (JsonNode m : container.path("volumeMounts")) {
      String name = m.path("name").asText();
      Path src = volumes.get(name);
      if (src == null) {
        throw new VolumeException(name, "the pod has no volume \"" + name + "\"");
      }
      String sub = m.path("subPath").asText("");
      if (!sub.isEmpty()) {
        checkedPath(name, sub);
        Path inside = src.resolve(sub).normalize();
        if (!inside.startsWith(src)) {
          throw new VolumeException(name, "subPath \"" + sub + "\" escapes the volume");
        }
        if (!Files.exists(inside)) {
          try {
            Files.createDirectories(inside);
          } catch (IOException e) {
            throw new VolumeException(name, "cannot create subPath " + sub + ": " + e.getMessage());
          }
        }
        src = inside;
      }
      String mp = m.path("mountPath").asText();
      if (!mp.startsWith("/")) {
        throw new VolumeException(name, "mountPath \"" + mp + "\" is not absolute");
      }
      out.add(new VolumeMount(name, src.toString(), mp, m.path("readOnly").asBoolean(false)));
    }
    return out;
  }
}
