package io.kafkube.scheduler.framework;

/** A topology domain: a node label key and its value ({@code topology.kubernetes.io/zone=z1}). */
public record TopologyPair(String key, String value) {}
