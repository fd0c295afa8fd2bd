/**
 * Shared cluster state: the {@code ClusterView} contract and its Hazelcast implementation (node
 * records, version records, membership), plus the tuned Hazelcast configuration.
 */
package io.coedge.cluster;
