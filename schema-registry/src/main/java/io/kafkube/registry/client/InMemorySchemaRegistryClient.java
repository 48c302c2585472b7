package io.kafkube.registry.client;

import io.kafkube.registry.internals.RegistryOps;
import io.kafkube.registry.internals.RegistryOps.Plan;
import io.kafkube.registry.internals.RegistryRecord;
import io.kafkube.registry.internals.RegistryState;
import io.kafkube.registry.internals.RegistryState.Entry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * A complete schema registry in memory, for tests ({@code TopologyTestDriver}) and tools: the
 * same state machine, compatibility checks, id allocation and errors as the Kafka-backed server,
 * applied to a map instead of a topic. Thread-safe.
 *
 * <p>Serdes configured with {@code schema.registry.url=mock://<scope>} share the instance
 * {@link #forScope(String)} returns for that scope, as Confluent's mock registry does.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
  private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

  private final RegistryState state = new RegistryState();

  /** The shared registry of a {@code mock://} scope. */
  public static InMemorySchemaRegistryClient forScope(String scope) {
    return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistryClient());
  }

  /** Forgets a {@code mock://} scope (tests call it in their tear-down). */
  public static void dropScope(String scope) {
    SCOPES.remove(scope);
  }

  private synchronized <R> R write(Function<RegistryState, Plan<R>> planner) {
    Plan<R> plan = planner.apply(state);
    for (RegistryRecord r : plan.records()) {
      state.apply(r);
    }
    return plan.result();
  }

  @Override
  public int register(String subject, Schema schema) {
    return write(s -> RegistryOps.register(s, subject, schema));
  }

  @Override
  public Schema getById(int id) {
    return RegistryOps.byId(state, id).schema();
  }

  @Override
  public SchemaMetadata getLatest(String subject) {
    return metadata(RegistryOps.version(state, subject, RegistryOps.LATEST, false));
  }

  @Override
  public SchemaMetadata getVersion(String subject, int version) {
    return metadata(RegistryOps.version(state, subject, version, false));
  }

  @Override
  public Optional<SchemaMetadata> lookup(String subject, Schema schema) {
    return RegistryOps.find(state, subject, schema).map(InMemorySchemaRegistryClient::metadata);
  }

  @Override
  public synchronized boolean testCompatibility(String subject, Schema schema) {
    return RegistryOps.compatibility(state, subject, null, schema).isEmpty();
  }

  @Override
  public List<String> subjects() {
    return state.subjects(false);
  }

  @Override
  public List<Integer> versions(String subject) {
    return RegistryOps.versionNumbers(state, subject, false);
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    return subject == null ? state.globalLevel() : state.effectiveLevel(subject);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    write(s -> RegistryOps.setConfig(s, subject, level));
  }

  @Override
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    return write(s -> RegistryOps.deleteSubject(s, subject, permanent));
  }

  /** Soft- or permanently deletes one version; returns the version deleted. */
  public int deleteVersion(String subject, int version, boolean permanent) {
    return write(s -> RegistryOps.deleteVersion(s, subject, version, permanent));
  }

  private static SchemaMetadata metadata(Entry e) {
    return new SchemaMetadata(e.subject(), e.version(), e.id(), e.schema());
  }
}
