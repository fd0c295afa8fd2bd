package io.coedge.inference;

/**
 * A snapshot of one model version's queue and service statistics, as published in the node record.
 *
 * @param queued       requests waiting in the queue
 * @param inflightRows rows in batches that are running now
 * @param serviceUs    EWMA time to run one batch of the typical size, µs (0 before the first batch)
 * @param batchRows    EWMA rows per batch
 * @param workers      worker threads serving the model
 * @param estimateUs   expected completion time of a new request, µs (0 when unknown)
 */
public record ModelLoad(int queued, int inflightRows, double serviceUs, double batchRows, int workers,
    double estimateUs) {
}
