package io.coedge.inference;

/** A loaded model version: its view, session, queue, statistics and the lease that drains it. */
record Loaded(ModelVersion view, OnnxModel model, ModelQueue queue, ModelStatistics stats, Lease lease) {
}
