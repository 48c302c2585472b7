package io.kafkube.scheduler.plugins;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static io.kafkube.scheduler.testing.TestVolumes.boundVolume;
import static io.kafkube.scheduler.testing.TestVolumes.claim;
import static io.kafkube.scheduler.testing.TestVolumes.localVolume;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.framework.Volumes;
import io.kafkube.scheduler.testing.TestPods;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VolumeBindingTest {
  private static final String OK = "";
  private static final List<NodeInfo> NODES = List.of(node("n1").info(), node("n2").info(), node("n3").info());

  record Case(String name, PodInfo pod, List<GenericRecord> claims, List<GenericRecord> volumes,
      List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("no claims", pod("p").info(), List.of(), List.of(), List.of(OK, OK, OK)),
        new Case("a claim bound to a local volume on n2", pod("p").claim("data").info(),
            List.of(claim("data", "local", "1Gi", "pv2")),
            List.of(boundVolume("pv2", "local", "1Gi", "n2", "default", "data")),
            List.of(Volumes.NODE_CONFLICT, OK, Volumes.NODE_CONFLICT)),
        new Case("a claim bound to a volume without node affinity", pod("p").claim("data").info(),
            List.of(claim("data", "net", "1Gi", "pv")), List.of(boundVolume("pv", "net", "1Gi", null, "default", "data")),
            List.of(OK, OK, OK)),
        new Case("a claim bound to a missing volume", pod("p").claim("data").info(),
            List.of(claim("data", "local", "1Gi", "gone")), List.of(),
            List.of(Volumes.MISSING_VOLUME, Volumes.MISSING_VOLUME, Volumes.MISSING_VOLUME)),
        new Case("a missing claim", pod("p").claim("data").info(), List.of(), List.of(),
            List.of("persistentvolumeclaim \"data\" not found", "persistentvolumeclaim \"data\" not found",
                "persistentvolumeclaim \"data\" not found")),
        new Case("an unbound claim goes where an available volume is", pod("p").claim("data").info(),
            List.of(claim("data", "local", "1Gi", null)),
            List.of(localVolume("pv1", "local", "2Gi", "n1"), localVolume("pv3", "local", "1Gi", "n3")),
            List.of(OK, Volumes.NO_VOLUME, OK)),
        new Case("a volume too small, of another class or bound elsewhere does not count", pod("p").claim("data").info(),
            List.of(claim("data", "local", "5Gi", null)),
            List.of(localVolume("small", "local", "1Gi", "n1"), localVolume("other", "ssd", "10Gi", "n2"),
                boundVolume("taken", "local", "10Gi", "n3", "default", "someone-else")),
            List.of(Volumes.NO_VOLUME, Volumes.NO_VOLUME, Volumes.NO_VOLUME)),
        new Case("two unbound claims need two volumes on the node", pod("p").claim("a").claim("b").info(),
            List.of(claim("a", "local", "1Gi", null), claim("b", "local", "1Gi", null)),
            List.of(localVolume("v1", "local", "1Gi", "n1"), localVolume("v2", "local", "1Gi", "n1"),
                localVolume("v3", "local", "1Gi", "n2")),
            List.of(OK, Volumes.NO_VOLUME, Volumes.NO_VOLUME)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(Case c) {
    Volumes volumes = new Volumes();
    c.claims().forEach(volumes::putClaim);
    c.volumes().forEach(volumes::putVolume);
    VolumeBinding plugin = new VolumeBinding(volumes);
    List<String> result = NODES.stream().map(n -> {
      Status s = plugin.filter(new CycleState(), c.pod(), n);
      return s.isSuccess() ? OK : String.join(", ", s.reasons());
    }).toList();
    assertThat(result).containsExactlyElementsOf(c.expected());
  }

  @Test
  void theSmallestFittingVolumeIsChosenAndHeldUntilForgotten() {
    Volumes volumes = new Volumes();
    volumes.putClaim(claim("a", "local", "1Gi", null));
    volumes.putClaim(claim("b", "local", "1Gi", null));
    volumes.putVolume(localVolume("big", "local", "10Gi", "n1"));
    volumes.putVolume(localVolume("small", "local", "2Gi", "n1"));
    Map<String, String> chosen = volumes.volumesToBind(pod("p").claim("a").info(), NODES.get(0));
    assertThat(chosen).isEqualTo(Map.of("default/a", "small"));
    volumes.assume(chosen);
    assertThat(volumes.volumesToBind(pod("q").claim("b").info(), NODES.get(0))).isEqualTo(Map.of("default/b", "big"));
    volumes.forget(chosen);
    assertThat(volumes.volumesToBind(pod("q").claim("b").info(), NODES.get(0))).isEqualTo(Map.of("default/b", "small"));
    // Once the claim is seen bound, the assumption is replaced by the binding.
    volumes.assume(chosen);
    volumes.putClaim(claim("a", "local", "1Gi", "small"));
    assertThat(volumes.volumesToBind(pod("p").claim("a").info(), NODES.get(0))).isEmpty();
    assertThat(volumes.volumesToBind(pod("q").claim("b").info(), NODES.get(0)))
        .as("a volume a claim names is not available before its claimRef is seen").isEqualTo(Map.of("default/b", "big"));
  }

  /** A StorageClass record with a binding mode (null: unset). */
  static GenericRecord storageClass(String name, String mode) {
    com.fasterxml.jackson.databind.node.ObjectNode sc =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    sc.put("apiVersion", "storage.k8s.io/v1");
    sc.put("kind", "StorageClass");
    sc.putObject("metadata").put("name", name);
    sc.put("provisioner", "kubernetes.io/no-provisioner");
    if (mode != null) {
      sc.put("volumeBindingMode", mode);
    }
    return io.kafkube.schemas.json.KubeJson.toAvro(sc, io.kafkube.schemas.avro.KafkubeSchemas.kind(
        io.kafkube.schemas.resource.ResourceRegistry.kubernetes().byGroupResource("storageclasses.storage.k8s.io")
            .orElseThrow())).record();
  }

  record PreCase(String name, List<GenericRecord> classes, List<GenericRecord> claims, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String WFFC = "WaitForFirstConsumer";

  static Stream<PreCase> preFilterCases() {
    return Stream.of(
        new PreCase("an unbound claim of a WaitForFirstConsumer class waits for the pod",
            List.of(storageClass("local", WFFC)), List.of(claim("data", "local", "1Gi", null)), OK),
        new PreCase("an unbound claim of an Immediate class", List.of(storageClass("local", "Immediate")),
            List.of(claim("data", "local", "1Gi", null)), Volumes.UNBOUND_IMMEDIATE),
        new PreCase("a class without a mode is Immediate (the API's default)", List.of(storageClass("local", null)),
            List.of(claim("data", "local", "1Gi", null)), Volumes.UNBOUND_IMMEDIATE),
        new PreCase("a class not found is Immediate", List.of(storageClass("other", WFFC)),
            List.of(claim("data", "local", "1Gi", null)), Volumes.UNBOUND_IMMEDIATE),
        new PreCase("a claim without a class is Immediate", List.of(storageClass("local", WFFC)),
            List.of(claim("data", "", "1Gi", null)), Volumes.UNBOUND_IMMEDIATE),
        new PreCase("a bound claim of an Immediate class is fine", List.of(storageClass("local", "Immediate")),
            List.of(claim("data", "local", "1Gi", "pv")), OK),
        new PreCase("one unbound immediate claim among delayed ones",
            List.of(storageClass("local", WFFC), storageClass("fast", "Immediate")),
            List.of(claim("data", "local", "1Gi", null), claim("logs", "fast", "1Gi", null)),
            Volumes.UNBOUND_IMMEDIATE),
        new PreCase("a missing claim", List.of(storageClass("local", WFFC)),
            List.of(claim("data", "local", "1Gi", null)),
            "persistentvolumeclaim \"logs\" not found"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("preFilterCases")
  void preFilter(PreCase c) {
    Volumes volumes = new Volumes();
    c.classes().forEach(volumes::putClass);
    c.claims().forEach(volumes::putClaim);
    TestPods.Builder pod = pod("p");
    c.claims().forEach(claim -> pod.claim(io.kafkube.schemas.meta.Meta.name(claim)));
    if (c.name().equals("a missing claim")) {
      pod.claim("logs");
    }
    Status s = new VolumeBinding(volumes).preFilter(new CycleState(), pod.info(), NODES);
    assertThat(s.isSuccess() ? OK : String.join(", ", s.reasons())).isEqualTo(c.expected());
    if (!s.isSuccess()) {
      assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
    }
  }

  @Test
  void aClassChangeIsReportedOnlyWhenItsModeChanges() {
    Volumes volumes = new Volumes();
    assertThat(volumes.putClass(storageClass("local", WFFC))).isTrue();
    assertThat(volumes.putClass(storageClass("local", WFFC))).isFalse();
    assertThat(volumes.putClass(storageClass("local", null))).isTrue();
    assertThat(volumes.removeClass("local")).isTrue();
    assertThat(volumes.removeClass("local")).isFalse();
  }
}
