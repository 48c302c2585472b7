package io.kafkube.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.agent.env.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volumes as real files: contents, modes, items, decoding, downward API, projections, updates, subPath. */
class PodVolumesTest {
  static final ObjectMapper M = new ObjectMapper();
  @TempDir
  Path dir;

  final Map<String, Map<String, String>> configMaps = new HashMap<>();
  final Map<String, Map<String, String>> secrets = new HashMap<>();
  final ConfigSource config = new ConfigSource() {
    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public Optional<Map<String, String>> configMap(String namespace, String name) {
      return Optional.ofNullable(configMaps.get(namespace + "/" + name));
    }

    @Override
    public Optional<Map<String, String>> secret(String namespace, String name) {
      return Optional.ofNullable(secrets.get(namespace + "/" + name));
    }
  };

  static JsonNode pod(String volumesJson, String containerJson) throws Exception {
    return M.readTree("""
        {"metadata": {"name": "p", "namespace": "ns", "uid": "u-1",
                      "labels": {"app": "web", "tier": "front"}, "annotations": {"note": "say \\"hi\\""}},
         "spec": {"nodeName": "n1", "volumes": %s, "containers": [%s]}}
        """.formatted(volumesJson, containerJson));
  }

  PodVolumes volumes(JsonNode pod) {
    return new PodVolumes(pod, dir.resolve("volumes"), config, TokenSource.none("no API access in this test"),
        "127.2.0.5");
  }

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void configMapAndSecretFilesWithItemsAndModes() throws Exception {
    configMaps.put("ns/cfg", Map.of("a.conf", "alpha", "b.conf", "beta"));
    secrets.put("ns/sec", Map.of("password", "s3cret"));
    JsonNode pod = pod("""
        [{"name": "all", "configMap": {"name": "cfg"}},
         {"name": "some", "configMap": {"name": "cfg", "defaultMode": 256, "items": [{"key": "b.conf", "path": "sub/b"}]}},
         {"name": "sec", "secret": {"secretName": "sec", "items": [{"key": "password", "path": "pw", "mode": 384}]}}]
        """, """
        {"name": "c", "volumeMounts": [{"name": "all", "mountPath": "/etc/all"}, {"name": "sec", "mountPath": "/s", "readOnly": true}]}
        """);
    Map<String, Path> v = volumes(pod).prepare();
    assertThat(Files.readString(v.get("all").resolve("a.conf"))).isEqualTo("alpha");
    assertThat(Files.readString(v.get("all").resolve("b.conf"))).isEqualTo("beta");
    assertThat(mode(v.get("all").resolve("a.conf"))).as("defaultMode 0644").isEqualTo("rw-r--r--");
    assertThat(Files.readString(v.get("some").resolve("sub/b"))).isEqualTo("beta");
    assertThat(Files.exists(v.get("some").resolve("a.conf"))).as("only the items").isFalse();
    assertThat(mode(v.get("some").resolve("sub/b"))).as("defaultMode 256 = 0400").isEqualTo("r--------");
    assertThat(Files.readString(v.get("sec").resolve("pw"))).as("decoded").isEqualTo("s3cret");
    assertThat(mode(v.get("sec").resolve("pw"))).as("item mode 384 = 0600").isEqualTo("rw-------");

    List<VolumeMount> mounts = PodVolumes.mounts(pod.path("spec").path("containers").get(0), v);
    assertThat(mounts).containsExactly(new VolumeMount("all", v.get("all").toString(), "/etc/all", false),
        new VolumeMount("sec", v.get("sec").toString(), "/s", true));
  }

  @Test
  void updatesAreWrittenAndRemovedKeysPruned() throws Exception {
    configMaps.put("ns/cfg", new HashMap<>(Map.of("a", "1", "b", "2")));
    JsonNode pod = pod("[{\"name\": \"v\", \"configMap\": {\"name\": \"cfg\"}}]", "{\"name\": \"c\"}");
    Path v = volumes(pod).prepare().get("v");
    configMaps.put("ns/cfg", Map.of("a", "changed"));
    volumes(pod).prepare();
    assertThat(Files.readString(v.resolve("a"))).isEqualTo("changed");
    assertThat(Files.exists(v.resolve("b"))).isFalse();
  }

  @Test
  void missingSourcesFailWithKubeletsMessageUnlessOptional() throws Exception {
    JsonNode missing = pod("[{\"name\": \"v\", \"configMap\": {\"name\": \"nope\"}}]", "{\"name\": \"c\"}");
    assertThatThrownBy(() -> volumes(missing).prepare()).isInstanceOf(VolumeException.class)
        .hasMessage("MountVolume.SetUp failed for volume \"v\" : configmap \"nope\" not found");
    JsonNode missingSecret = pod("[{\"name\": \"s\", \"secret\": {\"secretName\": \"gone\"}}]", "{\"name\": \"c\"}");
    assertThatThrownBy(() -> volumes(missingSecret).prepare())
        .hasMessage("MountVolume.SetUp failed for volume \"s\" : secret \"gone\" not found");
    configMaps.put("ns/cfg", Map.of("a", "1"));
    JsonNode missingKey = pod("[{\"name\": \"v\", \"configMap\": {\"name\": \"cfg\", \"items\": [{\"key\": \"zz\", \"path\": \"z\"}]}}]",
        "{\"name\": \"c\"}");
    assertThatThrownBy(() -> volumes(missingKey).prepare()).hasMessageContaining("non-existent config key: zz");
    JsonNode optional = pod("[{\"name\": \"v\", \"configMap\": {\"name\": \"nope\", \"optional\": true}}]",
        "{\"name\": \"c\"}");
    assertThat(Files.list(volumes(optional).prepare().get("v"))).isEmpty();
    JsonNode escape = pod("[{\"name\": \"v\", \"configMap\": {\"name\": \"cfg\", \"items\": [{\"key\": \"a\", \"path\": \"../x\"}]}}]",
        "{\"name\": \"c\"}");
    assertThatThrownBy(() -> volumes(escape).prepare()).hasMessageContaining("may not contain '..'");
  }

  @Test
  void downwardApiAndProjectedVolumes() throws Exception {
    configMaps.put("ns/cfg", Map.of("k", "from-cm"));
    secrets.put("ns/sec", Map.of("t", "from-secret"));
    JsonNode pod = pod("""
        [{"name": "info", "downwardAPI": {"items": [
            {"path": "name", "fieldRef": {"fieldPath": "metadata.name"}},
            {"path": "ns", "fieldRef": {"fieldPath": "metadata.namespace"}},
            {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
            {"path": "annotations", "fieldRef": {"fieldPath": "metadata.annotations"}},
            {"path": "mem", "resourceFieldRef": {"containerName": "c", "resource": "limits.memory", "divisor": "1Mi"}},
            {"path": "cpu", "resourceFieldRef": {"containerName": "c", "resource": "limits.cpu", "divisor": "1m"}}]}},
         {"name": "all", "projected": {"sources": [
            {"configMap": {"name": "cfg"}},
            {"secret": {"name": "sec", "items": [{"key": "t", "path": "secret/t"}]}},
            {"downwardAPI": {"items": [{"path": "podname", "fieldRef": {"fieldPath": "metadata.name"}}]}}]}}]
        """, """
        {"name": "c", "resources": {"limits": {"memory": "64Mi", "cpu": "250m"}}}
        """);
    Map<String, Path> v = volumes(pod).prepare();
    Path info = v.get("info");
    assertThat(Files.readString(info.resolve("name"))).isEqualTo("p");
    assertThat(Files.readString(info.resolve("ns"))).isEqualTo("ns");
    assertThat(Files.readString(info.resolve("labels"))).isEqualTo("app=\"web\"\ntier=\"front\"");
    assertThat(Files.readString(info.resolve("annotations"))).isEqualTo("note=\"say \\\"hi\\\"\"");
    assertThat(Files.readString(info.resolve("mem"))).isEqualTo("64");
    assertThat(Files.readString(info.resolve("cpu"))).isEqualTo("250");
    Path all = v.get("all");
    assertThat(Files.readString(all.resolve("k"))).isEqualTo("from-cm");
    assertThat(Files.readString(all.resolve("secret/t"))).isEqualTo("from-secret");
    assertThat(Files.readString(all.resolve("podname"))).isEqualTo("p");
  }

  @Test
  void serviceAccountTokenNeedsATokenSourceAndSaysSo() throws Exception {
    JsonNode pod = pod("[{\"name\": \"tok\", \"projected\": {\"sources\": [{\"serviceAccountToken\": {\"path\": \"token\"}}]}}]",
        "{\"name\": \"c\"}");
    assertThatThrownBy(() -> volumes(pod).prepare())
        .hasMessage("MountVolume.SetUp failed for volume \"tok\" : failed to fetch token: no API access in this test");
    TokenSource issued = new TokenSource() {
      @Override
      public Optional<String> token(String namespace, String sa, String podName, String podUid, List<String> aud,
          long exp) {
        return Optional.of("jwt-for-" + namespace + "/" + sa + "/" + podName);
      }

      @Override
      public String unavailableReason() {
        return null;
      }
    };
    Path tok = new PodVolumes(pod, dir.resolve("volumes"), config, issued, null).prepare().get("tok");
    assertThat(Files.readString(tok.resolve("token"))).isEqualTo("jwt-for-ns/default/p");
    assertThat(mode(tok.resolve("token"))).isEqualTo("rw-------");
  }

  @Test
  void emptyDirHostPathAndSubPath() throws Exception {
    Path host = dir.resolve("host/data");
    JsonNode pod = pod("""
        [{"name": "scratch", "emptyDir": {}},
         {"name": "h", "hostPath": {"path": "%s", "type": "DirectoryOrCreate"}},
         {"name": "strict", "hostPath": {"path": "%s", "type": "Directory"}}]
        """.formatted(host, host), """
        {"name": "c", "volumeMounts": [{"name": "scratch", "mountPath": "/work", "subPath": "a/b"}]}
        """);
    Map<String, Path> v = volumes(pod).prepare();
    assertThat(v.get("h")).isEqualTo(host);
    assertThat(Files.isDirectory(host)).isTrue();
    assertThat(Files.isDirectory(v.get("scratch"))).isTrue();
    List<VolumeMount> m = PodVolumes.mounts(pod.path("spec").path("containers").get(0), v);
    assertThat(m.get(0).source()).isEqualTo(v.get("scratch").resolve("a/b").toString());
    assertThat(Files.isDirectory(v.get("scratch").resolve("a/b"))).as("kubelet creates a missing subPath").isTrue();

    JsonNode bad = pod("[{\"name\": \"strict\", \"hostPath\": {\"path\": \"" + dir.resolve("absent")
        + "\", \"type\": \"Directory\"}}]", "{\"name\": \"c\"}");
    assertThatThrownBy(() -> volumes(bad).prepare()).hasMessageContaining("is not a directory");
    JsonNode unknownVolume = pod("[]", "{\"name\": \"c\", \"volumeMounts\": [{\"name\": \"x\", \"mountPath\": \"/x\"}]}");
    assertThatThrownBy(() -> PodVolumes.mounts(unknownVolume.path("spec").path("containers").get(0), Map.of()))
        .isInstanceOf(VolumeException.class).hasMessageContaining("no volume \"x\"");
  }

  @Test
  void aMemoryEmptyDirIsSizedAsKubeletSizesIt() throws Exception {
    long node = 8L << 30;
    JsonNode noLimits = pod("[]", "{\"name\": \"c\"}");
    assertThat(PodVolumes.memoryMediumSize(noLimits, M.readTree("{\"medium\": \"Memory\"}"), node))
        .as("the node's memory").isEqualTo(node);
    assertThat(PodVolumes.memoryMediumSize(noLimits, M.readTree("{\"medium\": \"Memory\", \"sizeLimit\": \"64Mi\"}"),
        node)).isEqualTo(64L << 20);
    assertThat(PodVolumes.memoryMediumSize(noLimits, M.readTree("{\"medium\": \"Memory\", \"sizeLimit\": \"64Gi\"}"),
        node)).as("never more than the node has").isEqualTo(node);
    JsonNode limited = pod("[]", """
        {"name": "a", "resources": {"limits": {"memory": "100Mi"}}},
        {"name": "b", "resources": {"limits": {"memory": "28Mi"}}}""");
    assertThat(PodVolumes.memoryMediumSize(limited, M.readTree("{\"medium\": \"Memory\"}"), node))
        .as("the pod's memory limit").isEqualTo(128L << 20);
    assertThat(PodVolumes.memoryMediumSize(limited, M.readTree("{\"medium\": \"Memory\", \"sizeLimit\": \"1Gi\"}"),
        node)).as("a sizeLimit above the pod's limit does not raise it").isEqualTo(128L << 20);
  }

  @Test
  void aMemoryEmptyDirThatCannotBeMountedIsADirectoryWithAWarning() throws Exception {
    JsonNode pod = pod("[{\"name\": \"cache\", \"emptyDir\": {\"medium\": \"Memory\", \"sizeLimit\": \"1Mi\"}}]",
        "{\"name\": \"c\"}");
    List<Long> asked = new java.util.ArrayList<>();
    // the node refuses the mount as an unprivileged agent's would
    PodVolumes v = new PodVolumes(pod, dir.resolve("volumes"), config, TokenSource.none("none"), "127.2.0.5",
        (d, size) -> {
          asked.add(size);
          throw new java.io.IOException("mount: only root can use \"--types\" option");
        });
    Map<String, Path> vols = v.prepare();
    assertThat(asked).containsExactly(1L << 20);
    assertThat(vols.get("cache")).isDirectory();
    assertThat(v.warnings()).singleElement().asString().contains("emptyDir volume \"cache\" with medium Memory is a "
        + "directory on disk").contains("only root");
  }
}
