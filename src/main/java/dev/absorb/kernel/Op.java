package dev.absorb.kernel;

/**
 * The rounded operations of one evaluation. Stochastic rounding draws its bits from
 * (seed, operation, index) — {@link dev.absorb.format.RandomBits} — with the operation's
 * {@link #ordinal()} as its id, so the order of these constants is part of the results' definition:
 * append, never reorder.
 *
 * <p>The index is the element index j for elementwise operations and partial-sum updates, the
 * target y for the scalar steps of the target, 0 for whole-vector steps, and
 * {@code -1 - (64·level + i)} for the fold of partial i at fold level {@code level}
 * ({@code -1 - k} for the k-th addition after the first level under {@code sum=xla}, {@link XlaSum}).
 */
enum Op {
    CAP_DIVIDE, CAP_TANH, CAP_MULTIPLY,
    SUBTRACT_MAX, EXP,
    ACCUMULATE, KAHAN_CORRECT, KAHAN_ERROR, KAHAN_ERROR_TERM, KAHAN_RESULT,
    ONLINE_SHIFT, ONLINE_RESCALE_EXP, ONLINE_RESCALE, ONLINE_SUBTRACT, ONLINE_EXP,
    FOLD, FOLD_SHIFT, FOLD_RESCALE_EXP, FOLD_RESCALE,
    LOG, LSE, LOSS,
    GRAD_SUBTRACT, GRAD_EXP, GRAD_DIVIDE, GRAD_MINUS_ONE, GRAD_STORE, GRAD_SUM, GRAD_CENTER, GRAD_CENTER_STORE,
    STABLEMAX, STABLEMAX_DERIVATIVE, STABLEMAX_LOG_TARGET, STABLEMAX_TARGET_DIVIDE,
    STABLEMAX_NUMERATOR, STABLEMAX_DENOMINATOR,
    ROWSUM_STORE, LOG_STORE, LOGP_STORE,
    GRAD_RECIPROCAL, GRAD_MULTIPLY,
    SMOOTH_SHARE, SMOOTH_TARGET, SMOOTH_TARGET_STORE, ZLOSS, GRAD_WEIGHT, GRAD_TARGET, GRAD_SCALE,
    CHUNK_SHIFT, CHUNK_RESCALE_EXP, CHUNK_RESCALE, CHUNK_MERGE
}
