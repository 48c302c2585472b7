package io.kafkube.scheduler;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.testing.SchedulerDriver;
import io.kafkube.scheduler.testing.StoreModel;
import io.kafkube.scheduler.testing.TestPods;
import io.kafkube.scheduler.testing.TestVolumes;
import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.meta.AvroPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shipped topology: pods and nodes in, BIND and status commands out, punctuator driven by hand. */
class SchedulerTopologyTest {
  private static final Duration TICK = Duration.ofMillis(10);
  private static final String NO_VICTIMS =
      " preemption: 0/%d nodes are available: %d No preemption victims found for incoming pod.";

  private final SchedulerDriver driver = new SchedulerDriver(SchedulerDriver.config(), partitions());
  private final StoreModel store = new StoreModel();

  @AfterEach
  void close() {
    driver.close();
  }

  /** The state topics' partitions: several, so every event goes through the internal topic. */
  int partitions() {
    return 3;
  }

  private void create(TestPods.Builder p) {
    store.put(p.key(), p.obj());
    driver.pod(p);
  }

  /** The store applies the commands; what it changes comes back on state.pods. */
  private void deliver(List<CommandView> commands) {
    for (CommandView c : commands) {
      GenericRecord changed = store.apply(c);
      if (changed != null) {
        driver.pod(c.key(), changed);
      }
    }
    store.takeDeleted().forEach(driver::deletePod);
  }

  private static List<CommandView> ofOp(List<CommandView> commands, Op op) {
    return commands.stream().filter(c -> c.op() == op).toList();
  }

  private static String scheduledMessage(GenericRecord pod) {
    GenericRecord status = AvroPaths.record(pod, "status");
    for (Object o : (List<?>) status.get("conditions")) {
      GenericRecord c = (GenericRecord) o;
      if ("PodScheduled".equals(String.valueOf(c.get("type")))) {
        assertThat(String.valueOf(c.get("status"))).isEqualTo("False");
        assertThat(String.valueOf(c.get("reason"))).isEqualTo("Unschedulable");
        return String.valueOf(c.get("message"));
      }
    }
    throw new AssertionError("no PodScheduled condition");
  }

  /**
   * The commands of the rounds until {@code pods} pods have had their first cycle (a BIND or a status
   * update each), within 50 rounds of {@link #TICK}: less than the first backoff, so no pod is tried twice.
   */
  private List<CommandView> firstAttempts(int pods) {
    List<CommandView> out = new ArrayList<>();
    for (int round = 0; round < 50; round++) {
      out.addAll(driver.advance(TICK));
      long tried = out.stream().filter(c -> c.op() == Op.BIND || c.op() == Op.UPDATE_STATUS)
          .map(CommandView::key).distinct().count();
      if (tried >= pods) {
        break;
      }
    }
    return out;
  }

  @Test
  void aBurstOfPodsNeverOvercommitsANode() {
    driver.node(node("n1").cpu("2").memory("4Gi"));
    driver.node(node("n2").cpu("2").memory("4Gi"));
    List<TestPods.Builder> pods = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      TestPods.Builder p = pod("p" + i).cpu("1").memory("1Gi");
      pods.add(p);
      create(p);
    }
    // Every pod gets one cycle before any is retried (its backoff is 1 s): a round may stop early under
    // load (SchedulerProcessor.MAX_TICK_NANOS), so the rounds of the first 500 ms together are checked.
    List<CommandView> out = firstAttempts(10);
    List<CommandView> binds = ofOp(out, Op.BIND);
    assertThat(binds).hasSize(4);
    assertThat(binds.stream().collect(Collectors.groupingBy(CommandView::nodeName, Collectors.counting())))
        .isEqualTo(Map.of("n1", 2L, "n2", 2L));
    assertThat(binds).allSatisfy(b -> {
      assertThat(b.user().username()).isEqualTo("system:kube-scheduler");
      assertThat(b.preconditionUid()).isEqualTo("uid-" + b.key().substring(b.key().lastIndexOf('/') + 1));
    });
    List<CommandView> statuses = ofOp(out, Op.UPDATE_STATUS);
    assertThat(statuses).hasSize(6);
    assertThat(scheduledMessage(statuses.get(0).object()))
        .isEqualTo("0/2 nodes are available: 2 Insufficient cpu." + NO_VICTIMS.formatted(2, 2));

    // Before the binds are seen, nothing else is placed however often the punctuator runs.
    for (int i = 0; i < 5; i++) {
      assertThat(ofOp(driver.advance(Duration.ofSeconds(3)), Op.BIND)).isEmpty();
    }
    deliver(out);
    assertThat(ofOp(driver.advance(Duration.ofSeconds(11)), Op.BIND)).isEmpty();
  }

  @Test
  void anUnschedulablePodGetsTheConditionOnceAndIsRetriedWhenANodeArrives() {
    String cp = "node-role.kubernetes.io/control-plane";
    driver.node(node("cp").cpu("8").memory("8Gi").taint(cp, null, "NoSchedule"));
    driver.node(node("small").cpu("1").memory("8Gi"));
    TestPods.Builder p = pod("big").cpu("2");
    create(p);
    List<CommandView> out = driver.advance(TICK);
    String message = "0/2 nodes are available: 1 Insufficient cpu, "
        + "1 node(s) had untolerated taint {" + cp + ": }. preemption: 0/2 nodes are available: "
        + "1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.";
    assertThat(out).extracting(CommandView::op).containsExactly(Op.UPDATE_STATUS, Op.CREATE);
    // the scheduler reads outcomes from the state topics, so the store writes it no replies
    assertThat(out).noneMatch(CommandView::wantsReply);
    assertThat(out.get(0).preconditionResourceVersion()).isEqualTo("1");
    assertThat(scheduledMessage(out.get(0).object())).isEqualTo(message);
    // … and a FailedScheduling Event about the pod, created through the store (what kubectl describe lists).
    CommandView event = out.get(1);
    assertThat(event.resource()).isEqualTo("events");
    assertThat(event.key()).startsWith("/registry/events/default/big.");
    assertThat(event.user().username()).isEqualTo("system:kube-scheduler");
    GenericRecord ev = event.object();
    assertThat(String.valueOf(ev.get("type"))).isEqualTo("Warning");
    assertThat(String.valueOf(ev.get("reason"))).isEqualTo("FailedScheduling");
    assertThat(String.valueOf(ev.get("message"))).isEqualTo(message);
    GenericRecord involved = AvroPaths.record(ev, "involvedObject");
    assertThat(AvroPaths.string(involved, "kind")).isEqualTo("Pod");
    assertThat(AvroPaths.string(involved, "name")).isEqualTo("big");
    assertThat(AvroPaths.string(involved, "uid")).isEqualTo("uid-big");
    assertThat(AvroPaths.string(AvroPaths.record(ev, "source"), "component")).isEqualTo("default-scheduler");
    deliver(out);
    assertThat(store.events).hasSize(1);

    // Retried after its backoff with the same outcome: the condition is not written again.
    assertThat(driver.advance(Duration.ofSeconds(2))).isEmpty();
    assertThat(driver.advance(Duration.ofSeconds(5))).isEmpty();

    // A new node makes it fit at once, backoff or not.
    driver.node(node("large").cpu("4").memory("8Gi"));
    out = driver.advance(TICK);
    assertThat(out).extracting(CommandView::op, CommandView::nodeName).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Op.BIND, "large"));
  }

  @Test
  void retriesWaitOutTheBackoff() {
    driver.node(node("n").cpu("1").memory("1Gi"));
    TestPods.Builder p = pod("p").cpu("2");
    create(p);
    List<CommandView> out = driver.advance(TICK);
    assertThat(ofOp(out, Op.UPDATE_STATUS)).hasSize(1);
    // Someone clears the condition; that change does not cut the backoff short …
    driver.pod(p.resourceVersion("7"));
    assertThat(driver.advance(Duration.ofMillis(500))).isEmpty();
    // … but once it is over the pod is tried again, and the condition written again.
    assertThat(ofOp(driver.advance(Duration.ofMillis(600)), Op.UPDATE_STATUS)).hasSize(1)
        .allSatisfy(c -> assertThat(c.preconditionResourceVersion()).isEqualTo("7"));
  }

  @Test
  void boundPodsLeaveTheQueueAndClaimTheirNode() {
    TestPods.Builder elsewhere = pod("bound-by-someone").cpu("1");
    create(elsewhere);
    driver.pod(elsewhere.nodeName("n")); // bound before the scheduler ran
    driver.pod(pod("other-scheduler").cpu("100m").schedulerName("my-scheduler"));
    driver.pod(pod("deleting").cpu("100m").deleting());
    driver.pod(pod("done").cpu("100m").phase("Succeeded"));
    driver.node(node("n").cpu("1500m").memory("1Gi"));
    assertThat(driver.advance(TICK)).isEmpty();

    TestPods.Builder p = pod("p").cpu("1");
    create(p);
    List<CommandView> out = driver.advance(TICK);
    assertThat(ofOp(out, Op.BIND)).isEmpty(); // only 500m are left on n
    driver.deletePod(elsewhere.key());
    List<CommandView> bind = ofOp(driver.advance(TICK), Op.BIND);
    assertThat(bind).extracting(CommandView::key).containsExactly(p.key());
    assertThat(bind.get(0).wantsReply()).isFalse();
  }

  @Test
  void higherPriorityAndEarlierDeadlineGoFirst() {
    driver.node(node("n").cpu("1").memory("1Gi"));
    create(pod("low").cpu("1").created("2025-12-31T00:00:00Z"));
    create(pod("due").cpu("1").activeDeadlineSeconds(600));
    create(pod("high").cpu("1").priority(100).created("2026-01-01T00:09:00Z"));
    List<CommandView> binds = ofOp(driver.advance(TICK), Op.BIND);
    assertThat(binds).extracting(CommandView::key).containsExactly(pod("high").key());
    deliver(binds);
    driver.deletePod(pod("high").key());
    assertThat(ofOp(driver.advance(TICK), Op.BIND)).extracting(CommandView::key).containsExactly(pod("due").key());
  }

  @Test
  void aBindNotSeenWithinTheTimeoutIsForgottenAndThePodPlacedAgain() {
    driver.node(node("n").cpu("1").memory("1Gi"));
    TestPods.Builder a = pod("a").cpu("1");
    TestPods.Builder b = pod("b").cpu("1");
    create(a);
    List<CommandView> first = ofOp(driver.advance(TICK), Op.BIND);
    assertThat(first).hasSize(1);
    create(b); // the claim of a's lost bind still holds: b does not fit
    assertThat(ofOp(driver.advance(Duration.ofSeconds(20)), Op.BIND)).isEmpty();
    // 30 s later the assumption is dropped; a (first in age order, same time: by key) is placed again
    List<CommandView> again = ofOp(driver.advance(Duration.ofSeconds(11)), Op.BIND);
    assertThat(again).extracting(CommandView::key).containsExactly(a.key());
    assertThat(again.get(0).requestId()).isNotEqualTo(first.get(0).requestId());
  }

  @Test
  void aHigherPriorityPodPreemptsALowerOneNominatesTheNodeAndIsBoundWhenItIsGone() {
    driver.priorityClass("high", 1000, false);
    driver.priorityClass("low", 10, false);
    driver.node(node("n1").cpu("2").memory("4Gi"));
    TestPods.Builder low = pod("low").cpu("2").priorityClassName("low");
    create(low);
    List<CommandView> out = driver.advance(TICK);
    assertThat(ofOp(out, Op.BIND)).singleElement().satisfies(b -> assertThat(b.nodeName()).isEqualTo("n1"));
    deliver(out);

    TestPods.Builder high = pod("high").cpu("2").priorityClassName("high");
    create(high);
    out = driver.advance(TICK);
    assertThat(ofOp(out, Op.BIND)).isEmpty();
    assertThat(ofOp(out, Op.DELETE)).singleElement().satisfies(d -> {
      assertThat(d.key()).isEqualTo(low.key());
      assertThat(d.preconditionUid()).isEqualTo("uid-low");
    });
    CommandView status = ofOp(out, Op.UPDATE_STATUS).get(0);
    assertThat(AvroPaths.string(AvroPaths.record(status.object(), "status"), "nominatedNodeName")).isEqualTo("n1");
    assertThat(scheduledMessage(status.object())).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
    assertThat(ofOp(out, Op.CREATE)).singleElement().satisfies(e -> assertThat(e.resource()).isEqualTo("events"));

    // While the victim is still there, nothing more is evicted.
    assertThat(ofOp(driver.advance(Duration.ofSeconds(2)), Op.DELETE)).isEmpty();
    deliver(out); // the victim is gone
    assertThat(ofOp(driver.advance(TICK), Op.BIND)).singleElement().satisfies(b -> {
      assertThat(b.key()).isEqualTo(high.key());
      assertThat(b.nodeName()).isEqualTo("n1");
    });
  }

  @Test
  void theNominatedNodeIsReservedForThePreemptorAgainstPodsOfNoHigherPriority() {
    driver.priorityClass("high", 1000, false);
    driver.priorityClass("low", 10, false);
    driver.node(node("n1").cpu("2").memory("4Gi"));
    create(pod("low").cpu("2").priorityClassName("low"));
    deliver(driver.advance(TICK));
    TestPods.Builder high = pod("high").cpu("2").priorityClassName("high");
    create(high);
    List<CommandView> preempted = driver.advance(TICK);
    assertThat(ofOp(preempted, Op.DELETE)).hasSize(1);
    // A pod of the same priority, older, so that it comes first in the queue once the room is free.
    TestPods.Builder peer = pod("peer").cpu("2").priorityClassName("high").created("2025-01-01T00:00:00Z");
    create(peer);
    assertThat(ofOp(driver.advance(TICK), Op.BIND)).isEmpty();
    deliver(preempted); // the victim is gone, the preemptor's nomination is on its status
    List<CommandView> out = new ArrayList<>(driver.advance(TICK));
    out.addAll(driver.advance(TICK)); // a round stops early when it runs long (a loaded machine)
    assertThat(ofOp(out, Op.BIND)).singleElement().satisfies(b -> {
      assertThat(b.key()).isEqualTo(high.key());
      assertThat(b.nodeName()).isEqualTo("n1");
    });
    deliver(out);
    assertThat(ofOp(driver.advance(Duration.ofSeconds(15)), Op.BIND)).isEmpty(); // the peer waits: n1 is full
  }

  @Test
  void equalPrioritiesDoNotPreempt() {
    driver.priorityClass("same", 100, true); // the global default applies to pods without a class
    driver.node(node("n1").cpu("2").memory("4Gi"));
    TestPods.Builder a = pod("a").cpu("2");
    create(a);
    deliver(driver.advance(TICK));
    create(pod("b").cpu("2").priorityClassName("same"));
    List<CommandView> out = driver.advance(TICK);
    assertThat(ofOp(out, Op.DELETE)).isEmpty();
    assertThat(scheduledMessage(ofOp(out, Op.UPDATE_STATUS).get(0).object())).isEqualTo(
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
            + "1 No preemption victims found for incoming pod.");
  }

  @Test
  void aPodGoesWhereItsLocalVolumeIsAndAnUnboundClaimIsBoundWithIt() {
    driver.storageClass("local", "WaitForFirstConsumer");
    driver.node(node("n1").cpu("4").memory("8Gi"));
    driver.node(node("n2").cpu("4").memory("8Gi"));
    driver.node(node("n3").cpu("4").memory("8Gi"));
    // A claim bound to a local volume on n3: the pod follows its data.
    driver.volume(io.kafkube.scheduler.testing.TestVolumes.boundVolume("pv3", "local", "1Gi", "n3", "default", "d3"));
    driver.claim(io.kafkube.scheduler.testing.TestVolumes.claim("d3", "local", "1Gi", "pv3"));
    create(pod("reader").cpu("100m").claim("d3"));
    List<CommandView> out = driver.advance(TICK);
    assertThat(ofOp(out, Op.BIND)).singleElement().satisfies(b -> assertThat(b.nodeName()).isEqualTo("n3"));

    // An unbound claim: bound to the available local volume (on n2), and the pod goes there.
    driver.volume(io.kafkube.scheduler.testing.TestVolumes.localVolume("pv2", "local", "5Gi", "n2"));
    driver.claim(io.kafkube.scheduler.testing.TestVolumes.claim("fresh", "local", "2Gi", null));
    create(pod("writer").cpu("100m").claim("fresh"));
    out = driver.advance(TICK);
    assertThat(ofOp(out, Op.BIND)).singleElement().satisfies(b -> assertThat(b.nodeName()).isEqualTo("n2"));
    List<CommandView> updates = ofOp(out, Op.UPDATE);
    assertThat(updates).extracting(CommandView::key).containsExactly(
        io.kafkube.scheduler.testing.TestVolumes.volumeKey("pv2"), io.kafkube.scheduler.testing.TestVolumes.claimKey("fresh"));
    GenericRecord ref = AvroPaths.record(AvroPaths.record(updates.get(0).object(), "spec"), "claimRef");
    assertThat(AvroPaths.string(ref, "name")).isEqualTo("fresh");
    assertThat(updates.get(0).preconditionResourceVersion()).isEqualTo("5");
    assertThat(AvroPaths.string(AvroPaths.record(updates.get(1).object(), "spec"), "volumeName")).isEqualTo("pv2");

    // Another pod with an unbound claim finds no volume left: it waits, with kube-scheduler's reason.
    driver.claim(io.kafkube.scheduler.testing.TestVolumes.claim("more", "local", "2Gi", null));
    create(pod("third").cpu("100m").claim("more"));
    out = driver.advance(TICK);
    assertThat(ofOp(out, Op.BIND)).isEmpty();
    assertThat(scheduledMessage(ofOp(out, Op.UPDATE_STATUS).get(0).object()))
        .startsWith("0/3 nodes are available: 3 " + io.kafkube.scheduler.framework.Volumes.NO_VOLUME + ".");
  }

  private static final String UNBOUND_IMMEDIATE = "0/2 nodes are available: pod has unbound immediate "
      + "PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";

  @Test
  void aPodWithAnUnboundImmediateClaimWaitsUntilTheClaimIsBound() {
    driver.storageClass("fast", "Immediate");
    driver.node(node("n1").cpu("4").memory("8Gi"));
    driver.node(node("n2").cpu("4").memory("8Gi"));
    driver.volume(TestVolumes.localVolume("pv2", "fast", "5Gi", "n2"));
    driver.claim(TestVolumes.claim("data", "fast", "1Gi", null));
    create(pod("db").cpu("100m").claim("data"));
    List<CommandView> out = driver.advance(TICK);
    // Not bound by the scheduler (an Immediate claim is bound before its pods are scheduled).
    assertThat(out).extracting(CommandView::op).containsExactly(Op.UPDATE_STATUS, Op.CREATE);
    assertThat(scheduledMessage(out.get(0).object())).isEqualTo(UNBOUND_IMMEDIATE);
    deliver(out);
    assertThat(driver.advance(Duration.ofSeconds(2))).isEmpty();

    // Once the claim is bound, the pod is tried at once and follows its volume.
    driver.volume(TestVolumes.boundVolume("pv2", "fast", "5Gi", "n2", "default", "data"));
    driver.claim(TestVolumes.claim("data", "fast", "1Gi", "pv2"));
    out = driver.advance(TICK);
    assertThat(out).extracting(CommandView::op, CommandView::nodeName)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Op.BIND, "n2"));
  }

  @Test
  void aClaimWhoseClassIsNotFoundIsImmediateUntilAWaitForFirstConsumerClassArrives() {
    driver.node(node("n1").cpu("4").memory("8Gi"));
    driver.node(node("n2").cpu("4").memory("8Gi"));
    driver.volume(TestVolumes.localVolume("pv1", "later", "5Gi", "n1"));
    driver.claim(TestVolumes.claim("data", "later", "1Gi", null));
    create(pod("db").cpu("100m").claim("data"));
    List<CommandView> out = driver.advance(TICK);
    assertThat(scheduledMessage(ofOp(out, Op.UPDATE_STATUS).get(0).object())).isEqualTo(UNBOUND_IMMEDIATE);
    deliver(out);

    // The class arrives (WaitForFirstConsumer): the pod is retried at once, its claim bound with it on n1.
    driver.storageClass("later", "WaitForFirstConsumer");
    out = driver.advance(TICK);
    assertThat(ofOp(out, Op.BIND)).singleElement().satisfies(b -> assertThat(b.nodeName()).isEqualTo("n1"));
    assertThat(ofOp(out, Op.UPDATE)).extracting(CommandView::key)
        .containsExactly(TestVolumes.volumeKey("pv1"), TestVolumes.claimKey("data"));
  }

  @Test
  void aClaimWithoutAClassIsImmediate() {
    driver.storageClass("local", "WaitForFirstConsumer");
    driver.node(node("n1").cpu("4").memory("8Gi"));
    driver.node(node("n2").cpu("4").memory("8Gi"));
    driver.volume(TestVolumes.localVolume("pv1", "", "5Gi", "n1"));
    driver.claim(TestVolumes.claim("data", "", "1Gi", null));
    create(pod("db").cpu("100m").claim("data"));
    assertThat(scheduledMessage(ofOp(driver.advance(TICK), Op.UPDATE_STATUS).get(0).object()))
        .isEqualTo(UNBOUND_IMMEDIATE);
  }

  @Test
  void aNamespaceLabelChangeRetriesPodsItsSelectorsKeptOut() {
    driver.namespace("default", Map.of("team", "a"));
    driver.namespace("other", Map.of("team", "b"));
    driver.node(node("n1").cpu("4").memory("8Gi"));
    TestPods.Builder w = pod("w").namespace("other").label("app", "web").cpu("100m").nodeName("n1");
    create(w);
    // Away from web pods of team b's namespaces, by host: n1 has one.
    create(pod("p").cpu("100m").podAntiAffinity("kubernetes.io/hostname", "app=web").namespaceSelector("team=b"));
    List<CommandView> out = driver.advance(TICK);
    assertThat(ofOp(out, Op.BIND)).isEmpty();
    assertThat(scheduledMessage(ofOp(out, Op.UPDATE_STATUS).get(0).object()))
        .startsWith("0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.");
    deliver(out);
    assertThat(ofOp(driver.advance(Duration.ofSeconds(2)), Op.BIND)).isEmpty();

    // A change of labels that are not selected changes nothing; the namespace leaving team b frees n1 at once.
    driver.namespace("other", Map.of("team", "b", "env", "prod"));
    assertThat(ofOp(driver.advance(TICK), Op.BIND)).isEmpty();
    driver.namespace("other", Map.of("team", "c"));
    assertThat(ofOp(driver.advance(TICK), Op.BIND)).singleElement()
        .satisfies(b -> assertThat(b.nodeName()).isEqualTo("n1"));
  }

  @Test
  void aReplicaSetsPodsAreSpreadByTheSystemDefaultsOnceTheReplicaSetIsKnown() {
    driver.node(node("n1").cpu("8").memory("8Gi"));
    driver.node(node("n2").cpu("8").memory("8Gi"));
    create(pod("web-0").label("app", "web").controlledBy("ReplicaSet", "web").cpu("1").nodeName("n1"));
    create(pod("other").cpu("3").nodeName("n2"));
    // Nothing known groups the pods: the least allocated node wins.
    create(pod("web-1").label("app", "web").controlledBy("ReplicaSet", "web").cpu("1"));
    List<CommandView> out = driver.advance(TICK);
    assertThat(ofOp(out, Op.BIND)).singleElement().satisfies(b -> assertThat(b.nodeName()).isEqualTo("n1"));
    deliver(out);
    // The ReplicaSet arrives: its next pod goes to the host without its pods, though n2 is more loaded.
    driver.object("replicasets.apps", io.kafkube.scheduler.testing.TestWorkloads.controllerJson("default", "web",
        "app=web"));
    create(pod("web-2").label("app", "web").controlledBy("ReplicaSet", "web").cpu("1"));
    assertThat(ofOp(driver.advance(TICK), Op.BIND)).singleElement()
        .satisfies(b -> assertThat(b.nodeName()).isEqualTo("n2"));
  }

  @Test
  void aLateBindNeverOvercommitsAfterItsAssumptionExpired() {
    try (SchedulerDriver d = new SchedulerDriver(SchedulerDriver.config().withAssumeTimeout(Duration.ofSeconds(2)))) {
      d.node(node("n1").cpu("1").memory("4Gi"));
      d.node(node("n2").cpu("1").memory("4Gi").taint("slow", "x", "PreferNoSchedule"));
      TestPods.Builder a = pod("a").cpu("1");
      store.put(a.key(), a.obj());
      d.pod(a);
      List<CommandView> first = ofOp(d.advance(TICK), Op.BIND);
      assertThat(first).singleElement().satisfies(b -> assertThat(b.nodeName()).isEqualTo("n1"));
      // The BIND is slow. Meanwhile n1 becomes the less preferred node.
      d.node(node("n1").cpu("1").memory("4Gi").taint("slow", "x", "PreferNoSchedule"));
      d.node(node("n2").cpu("1").memory("4Gi"));
      List<CommandView> second = ofOp(d.advance(Duration.ofMillis(2100)), Op.BIND);
      assertThat(second).as("after the assumption expired, a is tried again").singleElement()
          .satisfies(b -> assertThat(b.nodeName()).isEqualTo("n2"));
      // a may still land on n1 (its first BIND): b must not be put there, nor on n2.
      TestPods.Builder b = pod("b").cpu("1");
      store.put(b.key(), b.obj());
      d.pod(b);
      assertThat(ofOp(d.advance(TICK), Op.BIND)).isEmpty();
      // The first BIND lands, the second is refused: a is on n1, and b gets n2.
      for (CommandView c : List.of(first.get(0), second.get(0))) {
        GenericRecord changed = store.apply(c);
        if (changed != null) {
          d.pod(c.key(), changed);
        }
      }
      assertThat(ofOp(d.advance(Duration.ofSeconds(11)), Op.BIND)).singleElement().satisfies(bind -> {
        assertThat(bind.key()).isEqualTo(b.key());
        assertThat(bind.nodeName()).isEqualTo("n2");
      });
    }
  }
}
