/**
 * Shared cluster state (DESIGN §7): the {@code ClusterView} contract, its Hazelcast implementation over two
 * replicated maps (node records, version records) and an in-memory one, and the tuned Hazelcast configuration.
 */
package io.coedge.cluster;
