package io.kafkube.scheduler;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.testing.SchedulerDriver;
import io.kafkube.scheduler.testing.StoreModel;
import io.kafkube.scheduler.testing.TestNodes;
import io.kafkube.scheduler.testing.TestPods;
import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.generic.GenericRecord;

/**
 * Random small clusters, pods and event orders on the shipped topology, with a store model that
 * applies, delays, refuses or loses the scheduler's commands. After every step: no node is
 * overcommitted by the pods bound to it plus the BINDs in flight to it; a pod is never bound twice
 * unless its earlier BINDs were refused or lost; no BIND breaks a nodeSelector, a taint or a cordon, or
 * a zone topology spread constraint (against the placements the scheduler knew of); no node holds two
 * pods of a group when one of them has required anti-affinity to its group by hostname.
 */
class SchedulerPropertiesTest {
  private static final long ASSUME_TIMEOUT_MS = 3000;
  private static final String TAINT = "dedicated";

  record NodeSpec(int cpuMilli, int memoryMi, int maxPods, String zone, boolean tainted, boolean cordoned) {}

  record PodSpec(int cpuMilli, int memoryMi, String zoneSelector, boolean tolerates, int priority, Extra extra) {}

  /**
   * Inter-pod constraints: a group label (g0/g1 or none) and a required anti-affinity by hostname to the
   * own group; a zone spread constraint (DoNotSchedule, selector {@code spread=yes}, maxSkew 1-2, 0 for
   * none, optional minDomains) and whether the pod carries {@code spread=yes}.
   */
  record Extra(String group, boolean antiAffinity, int maxSkew, Integer minDomains, boolean spreadLabel) {}

  enum Kind { ADD_NODE, CREATE_POD, DELETE_POD, DELIVER, DELIVER_ALL, LOSE_BIND, TICK, LONG_TICK }

  record Action(Kind kind, int index) {}

  @Provide
  Arbitrary<List<NodeSpec>> nodes() {
    return Combinators.combine(Arbitraries.integers().between(2, 8).map(i -> i * 500),
            Arbitraries.integers().between(1, 4).map(i -> i * 1024), Arbitraries.integers().between(1, 6),
            Arbitraries.of("a", "b"), Arbitraries.integers().between(0, 4).map(i -> i == 0),
            Arbitraries.integers().between(0, 6).map(i -> i == 0))
        .as(NodeSpec::new).list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<PodSpec>> pods() {
    Arbitrary<Extra> extra = Combinators.combine(Arbitraries.of("g0", "g1").injectNull(0.4),
            Arbitraries.of(true, false), Arbitraries.of(0, 0, 1, 2), Arbitraries.of(3).injectNull(0.7),
            Arbitraries.of(true, false))
        .as(Extra::new);
    return Combinators.combine(Arbitraries.integers().between(0, 6).map(i -> i * 250),
            Arbitraries.integers().between(0, 8).map(i -> i * 256),
            Arbitraries.of("a", "b").injectNull(0.6), Arbitraries.of(true, false), Arbitraries.of(0, 0, 10), extra)
        .as(PodSpec::new).list().ofMinSize(1).ofMaxSize(16);
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.ADD_NODE)),
        net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.CREATE_POD)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.DELETE_POD)),
        net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.DELIVER)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.DELIVER_ALL)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.LOSE_BIND)),
        net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.TICK)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.LONG_TICK)));
    return Combinators.combine(kinds, Arbitraries.integers().between(0, 15)).as(Action::new)
        .list().ofMinSize(5).ofMaxSize(60);
  }

  /** A command in flight from the scheduler to the store. */
  private static final class InFlight {
    final CommandView command;
    final long sentAt;

    InFlight(CommandView command, long sentAt) {
      this.command = command;
      this.sentAt = sentAt;
    }
  }

  enum BindFate { IN_FLIGHT, APPLIED, REFUSED, LOST }

  private static final class Run implements AutoCloseable {
    final List<NodeSpec> nodeSpecs;
    final List<PodSpec> podSpecs;
    final SchedulerDriver driver = new SchedulerDriver(SchedulerDriver.config()
        .withAssumeTimeout(Duration.ofMillis(ASSUME_TIMEOUT_MS)));
    final StoreModel store = new StoreModel();
    final Set<Integer> nodesAdded = new HashSet<>();
    final Set<Integer> podsCreated = new HashSet<>();
    final List<InFlight> inFlight = new ArrayList<>();
    final Map<String, List<BindFate>> binds = new HashMap<>();
    final Map<String, Integer> podIndexByKey = new HashMap<>();
    /** Every BIND sent, in order. */
    final List<CommandView> sentBinds = new ArrayList<>();
    long now;

    Run(List<NodeSpec> nodes, List<PodSpec> pods) {
      this.nodeSpecs = nodes;
      this.podSpecs = pods;
    }

    TestNodes.Builder nodeBuilder(int i) {
      NodeSpec n = nodeSpecs.get(i);
      TestNodes.Builder b = node("n" + i).cpu(n.cpuMilli() + "m").memory(n.memoryMi() + "Mi").pods(n.maxPods())
          .label("zone", n.zone());
      if (n.tainted()) {
        b.taint(TAINT, "x", "NoSchedule");
      }
      if (n.cordoned()) {
        b.unschedulable();
      }
      return b;
    }

    TestPods.Builder podBuilder(int i) {
      PodSpec p = podSpecs.get(i);
      TestPods.Builder b = pod("p" + i).priority(p.priority());
      if (p.cpuMilli() > 0) {
        b.cpu(p.cpuMilli() + "m");
      }
      if (p.memoryMi() > 0) {
        b.memory(p.memoryMi() + "Mi");
      }
      if (p.zoneSelector() != null) {
        b.nodeSelector("zone", p.zoneSelector());
      }
      if (p.tolerates()) {
        b.toleration(TAINT, "Equal", "x", "NoSchedule");
      }
      Extra x = p.extra();
      if (x.group() != null) {
        b.label("group", x.group());
        if (x.antiAffinity()) {
          b.podAntiAffinity("kubernetes.io/hostname", "group=" + x.group());
        }
      }
      if (x.spreadLabel()) {
        b.label("spread", "yes");
      }
      if (x.maxSkew() > 0) {
        b.spread(x.maxSkew(), "zone", "DoNotSchedule", x.minDomains(), "spread=yes");
      }
      return b;
    }

    void step(Action a) {
      switch (a.kind()) {
        case ADD_NODE -> addNode(a.index() % nodeSpecs.size());
        case CREATE_POD -> createPod(a.index() % podSpecs.size());
        case DELETE_POD -> {
          int i = a.index() % podSpecs.size();
          if (podsCreated.contains(i)) {
            String key = podBuilder(i).key();
            if (store.get(key) != null) {
              store.remove(key);
              driver.deletePod(key);
            }
          }
        }
        case DELIVER -> deliver(1);
        case DELIVER_ALL -> deliver(Integer.MAX_VALUE);
        case LOSE_BIND -> {
          for (Iterator<InFlight> it = inFlight.iterator(); it.hasNext(); ) {
            InFlight f = it.next();
            if (f.command.op() == Op.BIND) {
              it.remove();
              setFate(f.command, BindFate.IN_FLIGHT, BindFate.LOST);
              break;
            }
          }
        }
        case TICK -> tick(10);
        case LONG_TICK -> tick(1200);
      }
      check();
    }

    void addNode(int i) {
      if (nodesAdded.add(i)) {
        driver.node(nodeBuilder(i));
      }
    }

    void createPod(int i) {
      if (podsCreated.add(i)) {
        TestPods.Builder b = podBuilder(i);
        podIndexByKey.put(b.key(), i);
        store.put(b.key(), b.obj());
        driver.pod(b);
      }
    }

    /** A live store applies commands well within the assumption timeout; lost ones never arrive. */
    void tick(long ms) {
      while (!inFlight.isEmpty() && now + ms - inFlight.get(0).sentAt >= ASSUME_TIMEOUT_MS / 2) {
        deliver(1);
      }
      now += ms;
      for (CommandView c : driver.advance(Duration.ofMillis(ms))) {
        sent(c);
      }
    }

    void deliver(int max) {
      for (int n = 0; n < max && !inFlight.isEmpty(); n++) {
        CommandView c = inFlight.remove(0).command;
        GenericRecord changed = store.apply(c);
        if (c.op() == Op.BIND) {
          setFate(c, BindFate.IN_FLIGHT, changed == null ? BindFate.REFUSED : BindFate.APPLIED);
        }
        if (changed != null) {
          driver.pod(c.key(), changed);
        }
        store.takeDeleted().forEach(driver::deletePod);
      }
    }

    void setFate(CommandView bind, BindFate from, BindFate to) {
      List<BindFate> fates = binds.get(bind.preconditionUid());
      int i = fates.indexOf(from);
      fates.set(i, to);
    }

    void sent(CommandView c) {
      inFlight.add(new InFlight(c, now));
      if (c.op() == Op.DELETE) {
        // Preemption evicts only pods of lower priority than some pod still waiting.
        int victim = podSpecs.get(podIndexByKey.get(c.key())).priority();
        boolean higherWaits = store.pods().entrySet().stream().anyMatch(e ->
            AvroPaths.string(AvroPaths.record(e.getValue(), "spec"), "nodeName") == null
                && podSpecs.get(podIndexByKey.get(e.getKey())).priority() > victim);
        assertThat(higherWaits).as("evicted %s (priority %d) with no higher priority pod waiting", c.key(), victim)
            .isTrue();
      }
      if (c.op() != Op.BIND) {
        return;
      }
      List<BindFate> earlier = binds.computeIfAbsent(c.preconditionUid(), u -> new ArrayList<>());
      assertThat(earlier).as("earlier BINDs of %s", c.key())
          .allMatch(f -> f == BindFate.REFUSED || f == BindFate.LOST);
      earlier.add(BindFate.IN_FLIGHT);
      int nodeIndex = Integer.parseInt(c.nodeName().substring(1));
      assertThat(nodesAdded).as("BIND to a node the scheduler was told of").contains(nodeIndex);
      NodeSpec n = nodeSpecs.get(nodeIndex);
      PodSpec p = podSpecs.get(podIndexByKey.get(c.key()));
      assertThat(n.cordoned()).as("bound to a cordoned node").isFalse();
      assertThat(!n.tainted() || p.tolerates()).as("bound despite an untolerated taint").isTrue();
      assertThat(p.zoneSelector() == null || p.zoneSelector().equals(n.zone())).as("nodeSelector").isTrue();
      checkSpread(c, p);
      sentBinds.add(c);
    }

    /**
     * Where the scheduler believes pods are when it sends {@code bind}: bound in the store, or bound by
     * a BIND it sent within the assumption timeout to a pod still there and unbound (in flight, lost or
     * refused: it keeps assuming them until the timeout).
     */
    Map<String, String> believedPlacements(CommandView bind) {
      Map<String, String> where = new HashMap<>();
      store.pods().forEach((key, pod) -> {
        String node = AvroPaths.string(AvroPaths.record(pod, "spec"), "nodeName");
        if (node != null) {
          where.put(key, node);
        }
      });
      for (CommandView b : sentBinds) {
        GenericRecord pod = store.get(b.key());
        if (bind.timestamp() - b.timestamp() < ASSUME_TIMEOUT_MS && pod != null
            && b.preconditionUid().equals(Meta.uid(pod))
            && AvroPaths.string(AvroPaths.record(pod, "spec"), "nodeName") == null) {
          where.put(b.key(), b.nodeName());
        }
      }
      where.remove(bind.key());
      return where;
    }

    /** The zone spread constraint holds for the BIND against what the scheduler knew when it sent it. */
    void checkSpread(CommandView bind, PodSpec p) {
      Extra x = p.extra();
      if (x.maxSkew() == 0) {
        return;
      }
      Map<String, Integer> counts = new HashMap<>();
      for (int i : nodesAdded) {
        NodeSpec n = nodeSpecs.get(i);
        if (p.zoneSelector() == null || p.zoneSelector().equals(n.zone())) {
          counts.putIfAbsent(n.zone(), 0); // an eligible domain (nodeAffinityPolicy Honor)
        }
      }
      believedPlacements(bind).forEach((key, node) -> {
        NodeSpec n = nodeSpecs.get(Integer.parseInt(node.substring(1)));
        PodSpec other = podSpecs.get(podIndexByKey.get(key));
        if (other.extra().spreadLabel() && counts.containsKey(n.zone())) {
          counts.merge(n.zone(), 1, Integer::sum);
        }
      });
      int min = counts.size() < (x.minDomains() == null ? 1 : x.minDomains()) ? 0
          : counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
      String zone = nodeSpecs.get(Integer.parseInt(bind.nodeName().substring(1))).zone();
      int skew = counts.getOrDefault(zone, 0) + (x.spreadLabel() ? 1 : 0) - min;
      assertThat(skew).as("zone skew of %s on %s (counts %s, min %d)", bind.key(), zone, counts, min)
          .isLessThanOrEqualTo(x.maxSkew());
    }

    /** Pods bound to a node, plus BINDs in flight for live unbound pods, fit its allocatable. */
    void check() {
      Map<String, long[]> use = new HashMap<>();
      for (Map.Entry<String, GenericRecord> e : store.pods().entrySet()) {
        String node = AvroPaths.string(AvroPaths.record(e.getValue(), "spec"), "nodeName");
        if (node != null) {
          add(use, node, podSpecs.get(podIndexByKey.get(e.getKey())));
        }
      }
      for (InFlight f : inFlight) {
        GenericRecord pod = store.get(f.command.key());
        if (f.command.op() == Op.BIND && pod != null && f.command.preconditionUid().equals(Meta.uid(pod))
            && AvroPaths.string(AvroPaths.record(pod, "spec"), "nodeName") == null) {
          add(use, f.command.nodeName(), podSpecs.get(podIndexByKey.get(f.command.key())));
        }
      }
      checkAntiAffinity();
      use.forEach((node, u) -> {
        NodeSpec n = nodeSpecs.get(Integer.parseInt(node.substring(1)));
        assertThat(u[0]).as("cpu claimed on %s", node).isLessThanOrEqualTo(n.cpuMilli());
        assertThat(u[1]).as("memory claimed on %s", node).isLessThanOrEqualTo(n.memoryMi());
        assertThat(u[2]).as("pods on %s", node).isLessThanOrEqualTo(n.maxPods());
      });
    }

    /** No node holds a pod with anti-affinity to its group together with another pod of that group. */
    void checkAntiAffinity() {
      Map<String, List<String>> podsOnNode = new HashMap<>();
      store.pods().forEach((key, pod) -> {
        String node = AvroPaths.string(AvroPaths.record(pod, "spec"), "nodeName");
        if (node != null) {
          podsOnNode.computeIfAbsent(node, k -> new ArrayList<>()).add(key);
        }
      });
      for (InFlight f : inFlight) {
        GenericRecord pod = store.get(f.command.key());
        if (f.command.op() == Op.BIND && pod != null && f.command.preconditionUid().equals(Meta.uid(pod))
            && AvroPaths.string(AvroPaths.record(pod, "spec"), "nodeName") == null) {
          podsOnNode.computeIfAbsent(f.command.nodeName(), k -> new ArrayList<>()).add(f.command.key());
        }
      }
      podsOnNode.forEach((node, keys) -> {
        for (String a : keys) {
          Extra xa = podSpecs.get(podIndexByKey.get(a)).extra();
          if (xa.group() == null || !xa.antiAffinity()) {
            continue;
          }
          for (String b : keys) {
            Extra xb = podSpecs.get(podIndexByKey.get(b)).extra();
            assertThat(!a.equals(b) && xa.group().equals(xb.group()))
                .as("%s (anti-affinity to %s) shares %s with %s", a, xa.group(), node, b).isFalse();
          }
        }
      });
    }

    private static void add(Map<String, long[]> use, String node, PodSpec p) {
      long[] u = use.computeIfAbsent(node, k -> new long[3]);
      u[0] += p.cpuMilli();
      u[1] += p.memoryMi();
      u[2]++;
    }

    @Override
    public void close() {
      driver.close();
    }
  }

  @Property(tries = 60)
  void neverOvercommitsNeverBindsTwiceNeverBreaksAHardConstraint(@ForAll("nodes") List<NodeSpec> nodes,
      @ForAll("pods") List<PodSpec> pods, @ForAll("actions") List<Action> actions) {
    try (Run run = new Run(nodes, pods)) {
      for (Action a : actions) {
        run.step(a);
      }
      // Then everything arrives, and the scheduler gets time to place what fits.
      for (int i = 0; i < nodes.size(); i++) {
        run.addNode(i);
      }
      for (int i = 0; i < pods.size(); i++) {
        run.createPod(i);
      }
      for (int i = 0; i < 12; i++) {
        run.step(new Action(Kind.LONG_TICK, 0));
        run.step(new Action(Kind.DELIVER_ALL, 0));
      }
      // Liveness on the simplest case: a pod that fits an empty schedulable node alone ends up bound
      // when nothing else was placed anywhere.
      boolean nothingBound = run.store.pods().values().stream()
          .allMatch(p -> AvroPaths.string(AvroPaths.record(p, "spec"), "nodeName") == null);
      if (nothingBound) {
        for (Map.Entry<String, GenericRecord> e : run.store.pods().entrySet()) {
          PodSpec p = pods.get(run.podIndexByKey.get(e.getKey()));
          boolean fitsSomewhere = nodes.stream().anyMatch(n -> !n.cordoned() && (!n.tainted() || p.tolerates())
              && (p.zoneSelector() == null || p.zoneSelector().equals(n.zone()))
              && p.cpuMilli() <= n.cpuMilli() && p.memoryMi() <= n.memoryMi());
          assertThat(fitsSomewhere).as("%s fits an empty node but was never bound", e.getKey()).isFalse();
        }
      }
    }
  }

}
