package io.kafkube.store.internal;

import static io.kafkube.store.TestObjects.ALICE;
import static io.kafkube.store.TestObjects.CONFIGMAPS;
import static io.kafkube.store.TestObjects.DEPLOYMENTS;
import static io.kafkube.store.TestObjects.NAMESPACES;
import static io.kafkube.store.TestObjects.PODS;
import static io.kafkube.store.TestObjects.command;
import static io.kafkube.store.TestObjects.configMap;
import static io.kafkube.store.TestObjects.key;
import static io.kafkube.store.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.store.SharedObjectRules;
import io.kafkube.store.TestObjects;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The store's rules, without Kafka: every op and every rejection. */
class MutationsTest {
  private static final int P = 3;
  private final ObjectSize sizes = new ObjectSize(KafkubeSchemas.command().getField("object").schema());
  private final Mutations mutations =
      new Mutations(ResourceRegistry.kubernetes(), P, new SharedObjectRules(), sizes::of);
  private final Map<String, GenericRecord> store = new HashMap<>();
  private long nextRevision = 100;

  private Outcome run(GenericRecord cmd) {
    long rev = nextRevision++;
    CommandView view = new CommandView(cmd);
    Outcome o = mutations.apply(view, store::get, rev, Partitions.of(view.key(), P), 1_700_000_000_000L + rev);
    if (o.write()) {
      if (o.after() == null) {
        store.remove(o.key());
      } else {
        store.put(o.key(), o.after());
      }
    }
    return o;
  }

  private Outcome createPod(String name) {
    return run(command(Op.CREATE, PODS, "default", name, "r-" + name).object(pod("default", name, "nginx:1.27")).build());
  }

  @Test
  void createAssignsIdentityTimeRevisionAndGeneration() {
    Outcome o = createPod("web");
    assertThat(o.code()).isEqualTo(201);
    GenericRecord p = o.after();
    assertThat(Meta.uid(p)).hasSize(36);
    assertThat(Meta.resourceVersion(p)).isEqualTo("100");
    assertThat(Meta.creationTimestamp(p)).isEqualTo(1_700_000_000_100L);
    assertThat(Meta.generation(p)).isEqualTo(1L);
    assertThat(Meta.namespace(p)).isEqualTo("default");
    // defaults were applied by the shared rules
    assertThat(AvroPaths.string(AvroPaths.record(p, "spec"), "restartPolicy")).isEqualTo("Always");
    assertThat(o.before()).isNull();
    assertThat(o.verb()).isEqualTo(Op.CREATE);
  }

  @Test
  void theSameCommandProcessedAgainDecidesTheSame() {
    GenericRecord cmd = command(Op.CREATE, PODS, "default", "web", "r1").object(pod("default", "web", "nginx")).build();
    Outcome a = mutations.apply(new CommandView(cmd), k -> null, 42, 0, 1000);
    Outcome b = mutations.apply(new CommandView(cmd), k -> null, 42, 0, 1000);
    assertThat(a.after()).isEqualTo(b.after());
  }

  @Test
  void createOfAnExistingObjectIsAlreadyExists() {
    createPod("web");
    Outcome o = createPod("web");
    assertThat(o.code()).isEqualTo(409);
    assertThat(o.write()).isFalse();
    assertThat(o.status().get("reason")).isEqualTo("AlreadyExists");
    assertThat(o.status().get("message")).isEqualTo("pods \"web\" already exists");
  }

  @Test
  void invalidObjectsAreRefusedWithTheFieldNamed() {
    GenericRecord bad = pod("default", "Bad_Name", "nginx");
    Outcome o = run(command(Op.CREATE, PODS, "default", "Bad_Name", "r").object(bad).build());
    assertThat(o.code()).isEqualTo(422);
    assertThat(o.write()).isFalse();
    assertThat(o.status().get("reason")).isEqualTo("Invalid");
    assertThat(o.status().get("message").toString()).startsWith("The Pod \"Bad_Name\" is invalid: metadata.name");
    GenericRecord cause = (GenericRecord) ((List<?>) AvroPaths.record(o.status(), "details").get("causes")).get(0);
    assertThat(cause.get("field")).isEqualTo("metadata.name");
    assertThat(store).isEmpty();
  }

  @Test
  void nameOnTheObjectMustMatchTheKey() {
    Outcome o = run(command(Op.CREATE, PODS, "default", "a", "r").object(pod("default", "b", "nginx")).build());
    assertThat(o.code()).isEqualTo(400);
    assertThat(o.status().get("message").toString()).contains("does not match the name on the URL");
  }

  @Test
  void updateWithAStaleResourceVersionIsAConflict() {
    createPod("web");
    createPod("other");
    GenericRecord stale = AvroPaths.copy(store.get(key(PODS, "default", "web")));
    Meta.set(stale, "resourceVersion", "99");
    Outcome o = run(command(Op.UPDATE, PODS, "default", "web", "u").object(stale).build());
    assertThat(o.code()).isEqualTo(409);
    assertThat(o.status().get("message")).isEqualTo("Operation cannot be fulfilled on pods \"web\": the object has "
        + "been modified; please apply your changes to the latest version and try again");
  }

  @Test
  void updateBumpsGenerationOnlyWhenTheSpecChangesAndKeepsStatus() {
    run(command(Op.CREATE, CONFIGMAPS, "default", "cm", "c").object(configMap("default", "cm", Map.of("a", "1"))).build());
    Outcome created = run(command(Op.CREATE, DEPLOYMENTS, "default", "d", "c2").object(deployment("d", 1)).build());
    assertThat(created.code()).as("%s", created.status()).isEqualTo(201);

    GenericRecord labelsOnly = AvroPaths.copy(created.after());
    TestObjects.setLabels(labelsOnly, Map.of("team", "a"));
    Outcome o1 = run(command(Op.UPDATE, DEPLOYMENTS, "default", "d", "u1").object(labelsOnly).build());
    assertThat(o1.code()).isEqualTo(200);
    assertThat(Meta.generation(o1.after())).isEqualTo(1L);
    assertThat(Meta.resourceVersion(o1.after())).isNotEqualTo(Meta.resourceVersion(created.after()));

    GenericRecord scaled = AvroPaths.copy(o1.after());
    AvroPaths.record(scaled, "spec").put("replicas", 3);
    AvroPaths.recordOrCreate(scaled, "status").put("replicas", 99); // ignored by UPDATE
    Outcome o2 = run(command(Op.UPDATE, DEPLOYMENTS, "default", "d", "u2").object(scaled).build());
    assertThat(Meta.generation(o2.after())).isEqualTo(2L);
    assertThat(AvroPaths.record(o2.after(), "status")).isNull();

    GenericRecord status = AvroPaths.copy(o2.after());
    AvroPaths.recordOrCreate(status, "status").put("replicas", 3);
    AvroPaths.record(status, "spec").put("replicas", 7); // ignored by UPDATE_STATUS
    Outcome o3 = run(command(Op.UPDATE_STATUS, DEPLOYMENTS, "default", "d", "u3").object(status).build());
    assertThat(o3.code()).isEqualTo(200);
    assertThat(AvroPaths.record(o3.after(), "status").get("replicas")).isEqualTo(3);
    assertThat(AvroPaths.record(o3.after(), "spec").get("replicas")).isEqualTo(3);
    assertThat(Meta.generation(o3.after())).isEqualTo(2L);
  }

  @Test
  void aStatusUpdateKeepsTheManagedFieldsItCarriesAndOtherwiseTheStoredOnes() {
    Outcome created = run(command(Op.CREATE, DEPLOYMENTS, "default", "mf", "c").object(deployment("mf", 1)).build());
    assertThat(created.code()).as("%s", created.status()).isEqualTo(201);
    GenericRecord withManager = AvroPaths.copy(created.after());
    AvroPaths.recordOrCreate(withManager, "status").put("replicas", 1);
    org.apache.avro.Schema entries = AvroPaths.nonNull(Meta.metadata(withManager).getSchema()
        .getField("managedFields").schema());
    GenericRecord entry = new org.apache.avro.generic.GenericData.Record(AvroPaths.nonNull(entries.getElementType()));
    entry.put("manager", "status-writer");
    entry.put("operation", "Apply");
    entry.put("subresource", "status");
    Meta.metadata(withManager).put("managedFields", new java.util.ArrayList<>(List.of(entry)));
    Outcome o1 = run(command(Op.UPDATE_STATUS, DEPLOYMENTS, "default", "mf", "s1").object(withManager).build());
    assertThat(o1.code()).isEqualTo(200);
    List<?> kept = (List<?>) Meta.metadata(o1.after()).get("managedFields");
    assertThat(kept).hasSize(1);
    assertThat(((GenericRecord) kept.get(0)).get("manager").toString()).isEqualTo("status-writer");

    // a status update without managedFields (a node agent's) leaves them as they are
    GenericRecord plain = AvroPaths.copy(o1.after());
    AvroPaths.recordOrCreate(plain, "status").put("replicas", 2);
    Meta.metadata(plain).put("managedFields", null);
    Outcome o2 = run(command(Op.UPDATE_STATUS, DEPLOYMENTS, "default", "mf", "s2").object(plain).build());
    assertThat(AvroPaths.record(o2.after(), "status").get("replicas")).isEqualTo(2);
    assertThat((List<?>) Meta.metadata(o2.after()).get("managedFields")).hasSize(1);
  }

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    Outcome c = createPod("web");
    Outcome o = run(command(Op.UPDATE, PODS, "default", "web", "u").object(AvroPaths.copy(c.after())).build());
    assertThat(o.code()).isEqualTo(200);
    assertThat(o.write()).isFalse();
    assertThat(Meta.resourceVersion(o.reply())).isEqualTo(Meta.resourceVersion(c.after()));
  }

  @Test
  void updateOrDeleteOfAMissingObjectIsNotFound() {
    Outcome u = run(command(Op.UPDATE, PODS, "default", "nope", "u").object(pod("default", "nope", "x")).build());
    Outcome d = run(command(Op.DELETE, PODS, "default", "nope", "d").build());
    assertThat(u.code()).isEqualTo(404);
    assertThat(d.code()).isEqualTo(404);
    assertThat(d.status().get("message")).isEqualTo("pods \"nope\" not found");
  }

  @Test
  void finalizersHoldAnObjectUntilTheLastOneIsRemoved() {
    GenericRecord cm = configMap("default", "cm", Map.of());
    TestObjects.setFinalizers(cm, List.of("example.com/hold"));
    run(command(Op.CREATE, CONFIGMAPS, "default", "cm", "c").object(cm).build());
    Outcome d = run(command(Op.DELETE, CONFIGMAPS, "default", "cm", "d").build());
    assertThat(d.code()).isEqualTo(200);
    assertThat(Meta.deletionTimestamp(d.after())).isNotNull();
    assertThat(store).containsKey(key(CONFIGMAPS, "default", "cm"));

    GenericRecord adding = AvroPaths.copy(d.after());
    TestObjects.setFinalizers(adding, List.of("example.com/hold", "example.com/more"));
    assertThat(run(command(Op.UPDATE, CONFIGMAPS, "default", "cm", "u0").object(adding).build()).code()).isEqualTo(422);

    GenericRecord released = AvroPaths.copy(d.after());
    Meta.set(released, "finalizers", null);
    Outcome u = run(command(Op.UPDATE, CONFIGMAPS, "default", "cm", "u").object(released).build());
    assertThat(u.code()).isEqualTo(200);
    assertThat(u.after()).isNull();
    assertThat(u.verb()).isEqualTo(Op.DELETE);
    assertThat(store).doesNotContainKey(key(CONFIGMAPS, "default", "cm"));
  }

  @Test
  void deletePreconditionsAreChecked() {
    Outcome c = createPod("web");
    Outcome wrongUid = run(command(Op.DELETE, PODS, "default", "web", "d").preconditions("not-the-uid", null).build());
    assertThat(wrongUid.code()).isEqualTo(409);
    assertThat(wrongUid.status().get("message").toString()).contains("Precondition failed: UID in precondition");
    Outcome wrongRv = run(command(Op.DELETE, PODS, "default", "web", "d2").preconditions(null, "1").build());
    assertThat(wrongRv.code()).isEqualTo(409);
    Outcome ok = run(command(Op.DELETE, PODS, "default", "web", "d3").preconditions(Meta.uid(c.after()), null).build());
    assertThat(ok.code()).isEqualTo(200);
    assertThat(ok.after()).isNull(); // unbound pods go at once
  }

  @Test
  void bindLeavesTheCurrentPodAsItWasAndSharesWhatItDoesNotChange() {
    createPod("web");
    // the scheduler found no node once: PodScheduled=False, beside a condition of another type
    GenericRecord unschedulable = AvroPaths.copy(store.get(key(PODS, "default", "web")));
    io.kafkube.schemas.meta.PodConditions.set(unschedulable, "Initialized", "True", null, null, 1_000L);
    io.kafkube.schemas.meta.PodConditions.set(unschedulable, "PodScheduled", "False", "Unschedulable", "no", 2_000L);
    assertThat(run(command(Op.UPDATE_STATUS, PODS, "default", "web", "s").object(unschedulable).build()).code())
        .isEqualTo(200);
    GenericRecord cur = store.get(key(PODS, "default", "web"));
    GenericRecord snapshot = AvroPaths.copy(cur);

    Outcome b = run(command(Op.BIND, PODS, "default", "web", "b").nodeName("node-1").build());

    assertThat(b.code()).isEqualTo(201);
    assertThat(b.before()).isSameAs(cur);
    assertThat(cur).as("the current pod, written to history as the object before").isEqualTo(snapshot);
    GenericRecord bound = b.after();
    assertThat(AvroPaths.string(AvroPaths.record(bound, "spec"), "nodeName")).isEqualTo("node-1");
    assertThat(Meta.resourceVersion(bound)).isNotEqualTo(Meta.resourceVersion(cur));
    assertThat(Meta.name(bound)).isEqualTo("web");
    List<?> conditions = (List<?>) AvroPaths.record(bound, "status").get("conditions");
    assertThat(conditions).extracting(c -> ((GenericRecord) c).get("type").toString(),
        c -> ((GenericRecord) c).get("status").toString())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Initialized", "True"),
            org.assertj.core.groups.Tuple.tuple("PodScheduled", "True"));
    // what the bind does not change is shared, not copied
    assertThat(AvroPaths.record(bound, "spec").get("containers"))
        .isSameAs(AvroPaths.record(cur, "spec").get("containers"));
    assertThat(conditions.get(0)).isSameAs(((List<?>) AvroPaths.record(cur, "status").get("conditions")).get(0));
  }

  @Test
  void bindSetsTheNodeOnceAndBoundPodsTerminateGracefully() {
    createPod("web");
    Outcome b = run(command(Op.BIND, PODS, "default", "web", "b").nodeName("node-1").build());
    assertThat(b.code()).isEqualTo(201);
    assertThat(AvroPaths.string(AvroPaths.record(b.after(), "spec"), "nodeName")).isEqualTo("node-1");
    GenericRecord cond = (GenericRecord) ((List<?>) AvroPaths.record(b.after(), "status").get("conditions")).get(0);
    assertThat(cond.get("type")).isEqualTo("PodScheduled");
    assertThat(cond.get("status")).isEqualTo("True");

    Outcome again = run(command(Op.BIND, PODS, "default", "web", "b2").nodeName("node-2").build());
    assertThat(again.code()).isEqualTo(409);
    assertThat(again.status().get("message").toString()).contains("is already assigned to node \"node-1\"");

    Outcome graceful = run(command(Op.DELETE, PODS, "default", "web", "d").build());
    assertThat(graceful.after()).isNotNull();
    assertThat(Meta.deletionGracePeriodSeconds(graceful.after())).isEqualTo(30L);
    // the kubelet's status updates while the containers stop do not remove the pod (only its grace-0 delete does)
    GenericRecord terminating = AvroPaths.copy(graceful.after());
    AvroPaths.recordOrCreate(terminating, "status").put("phase", "Running");
    Outcome status = run(command(Op.UPDATE_STATUS, PODS, "default", "web", "s").object(terminating).build());
    assertThat(status.code()).isEqualTo(200);
    assertThat(status.after()).as("still there while it terminates").isNotNull();
    Outcome now = run(command(Op.DELETE, PODS, "default", "web", "d2").gracePeriodSeconds(0L).build());
    assertThat(now.after()).isNull();
  }

  @Test
  void generateNameGivesAFreshNameInTheCommandsPartition() {
    GenericRecord p = pod("default", null, "nginx");
    Meta.set(p, "name", null);
    Meta.set(p, "generateName", "web-");
    GenericRecord cmd = command(Op.CREATE, PODS, "default", "web-", "g").object(p).build();
    Outcome o = run(cmd);
    assertThat(o.code()).isEqualTo(201);
    String name = Meta.name(o.after());
    assertThat(name).startsWith("web-").hasSize(9);
    assertThat(Partitions.of(o.key(), P)).isEqualTo(Partitions.of(key(PODS, "default", "web-"), P));
    assertThat(o.key()).isEqualTo(key(PODS, "default", name));
  }

  @Test
  void objectsOverTheLimitAreRefused() {
    // ConfigMaps and Secrets are limited to 1 MiB by validation (422); a ControllerRevision is not
    io.kafkube.schemas.resource.ResourceType revisions = TestObjects.type("controllerrevisions.apps");
    GenericRecord rev = TestObjects.object(revisions, "default", "big");
    rev.put("revision", 1L);
    rev.put("data", "\"" + "x".repeat(1600 * 1024) + "\"");
    Outcome o = run(command(Op.CREATE, revisions, "default", "big", "c").object(rev).build());
    assertThat(o.code()).isEqualTo(413);
    assertThat(store).isEmpty();
  }

  @Test
  void namespacesWaitForTheirSpecFinalizers() {
    run(command(Op.CREATE, NAMESPACES, null, "team", "c").object(TestObjects.object(NAMESPACES, null, "team")).build());
    Outcome d = run(command(Op.DELETE, NAMESPACES, null, "team", "d").build());
    assertThat(d.after()).isNotNull();
    assertThat(AvroPaths.string(AvroPaths.record(d.after(), "status"), "phase")).isEqualTo("Terminating");
  }

  @Test
  void aJobGetsItsSelectorFromItsUidOnCreate() {
    io.kafkube.schemas.resource.ResourceType jobs = TestObjects.type("jobs.batch");
    GenericRecord job = TestObjects.object(jobs, "default", "pi");
    GenericRecord spec = AvroPaths.recordOrCreate(job, "spec");
    GenericRecord template = AvroPaths.recordOrCreate(spec, "template");
    GenericRecord podSpec = (GenericRecord) pod("default", "x", "perl").get("spec");
    podSpec.put("restartPolicy", "Never");
    template.put("spec", podSpec);
    Outcome o = run(command(Op.CREATE, jobs, "default", "pi", "j").object(job).build());
    assertThat(o.code()).as("%s", o.status()).isEqualTo(201);
    GenericRecord selector = AvroPaths.record(AvroPaths.record(o.after(), "spec"), "selector");
    assertThat(selector).isNotNull();
    assertThat(selector.get("matchLabels").toString()).contains(Meta.uid(o.after()));
  }

  @Test
  void theCommandsResourceMustMatchItsKey() {
    GenericRecord cmd = io.kafkube.schemas.envelope.Envelopes.command(Op.CREATE, key(PODS, "default", "x"),
        "configmaps", ALICE, "r").object(pod("default", "x", "nginx")).build();
    assertThat(run(cmd).code()).isEqualTo(400);
  }

  private static GenericRecord deployment(String name, int replicas) {
    GenericRecord d = TestObjects.object(DEPLOYMENTS, "default", name);
    GenericRecord spec = AvroPaths.recordOrCreate(d, "spec");
    spec.put("replicas", replicas);
    GenericRecord selector = AvroPaths.recordOrCreate(spec, "selector");
    selector.put("matchLabels", Map.of("app", name));
    GenericRecord template = AvroPaths.recordOrCreate(spec, "template");
    GenericRecord tm = AvroPaths.recordOrCreate(template, "metadata");
    tm.put("labels", Map.of("app", name));
    GenericRecord podSpec = pod("default", "x", "nginx").get("spec") instanceof GenericRecord s ? s : null;
    template.put("spec", podSpec);
    return d;
  }
}
