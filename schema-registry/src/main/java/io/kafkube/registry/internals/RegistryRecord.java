package io.kafkube.registry.internals;

import io.kafkube.registry.client.CompatibilityLevel;

/**
 * One entry of the registry's log (the compacted {@code _schemas} topic). Applying the records in
 * order to a {@link RegistryState} rebuilds the registry; the key of each record decides what
 * compaction keeps.
 */
public sealed interface RegistryRecord {

  /** Version {@code version} of {@code subject} is schema {@code id}; soft-deleted when {@code deleted}. */
  record SchemaVersion(String subject, int version, int id, String schema, boolean deleted)
      implements RegistryRecord {}

  /** Version {@code version} of {@code subject} is permanently deleted (a tombstone). */
  record SchemaTombstone(String subject, int version) implements RegistryRecord {}

  /** The compatibility level of a subject, or the global one when subject is null; null level clears it. */
  record Config(String subject, CompatibilityLevel level) implements RegistryRecord {}

  /** Ids up to {@code maxId} have been handed out; kept so that ids are not reused after deletes. */
  record IdWatermark(int maxId) implements RegistryRecord {}

  /** The instance that writes the log, and the URL other instances forward writes to. */
  record Leader(String instanceId, String url) implements RegistryRecord {}
}
