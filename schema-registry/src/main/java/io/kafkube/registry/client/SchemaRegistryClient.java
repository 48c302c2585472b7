package io.kafkube.registry.client;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * What a Kafka serde and an application need from a Confluent-API schema registry, for Avro
 * schemas. Two implementations share the same semantics for ids and de-duplication:
 * {@link CachedSchemaRegistryClient} (REST, ids cached forever) and
 * {@link InMemorySchemaRegistryClient} (a complete registry in a map, for
 * {@code TopologyTestDriver} tests).
 *
 * <p>Errors answered by the registry are thrown as {@link SchemaRegistryException}.
 */
public interface SchemaRegistryClient {

  /**
   * Registers {@code schema} under {@code subject} and returns its global id. Registering a schema
   * that is already a live version of the subject (in any JSON spelling) returns the same id and
   * creates no version; the same schema under another subject gets the same id.
   *
   * @throws SchemaRegistryException 409 when incompatible with the subject's compatibility level
   */
  int register(String subject, Schema schema);

  /** The schema with this global id. @throws SchemaRegistryException 40403 when unknown */
  Schema getById(int id);

  /** The latest live version of the subject. @throws SchemaRegistryException 40401 */
  SchemaMetadata getLatest(String subject);

  /** One version of the subject. @throws SchemaRegistryException 40401, 40402 */
  SchemaMetadata getVersion(String subject, int version);

  /** The live version of {@code subject} holding {@code schema}, if it is registered there. */
  Optional<SchemaMetadata> lookup(String subject, Schema schema);

  /**
   * Whether {@code schema} could be registered under {@code subject} given the subject's
   * compatibility level (true for a subject without versions).
   */
  boolean testCompatibility(String subject, Schema schema);

  /** The subjects with at least one live version, sorted. */
  List<String> subjects();

  /** The live versions of a subject, ascending. @throws SchemaRegistryException 40401 */
  List<Integer> versions(String subject);

  /** The compatibility level in force for the subject (its own, else the global one). */
  CompatibilityLevel getCompatibility(String subject);

  /** Sets the compatibility level of a subject, or the global level when subject is null. */
  void setCompatibility(String subject, CompatibilityLevel level);

  /**
   * Deletes a subject: soft (versions hidden, ids still resolvable) or, after a soft delete,
   * permanent. Returns the deleted versions.
   */
  List<Integer> deleteSubject(String subject, boolean permanent);
}
