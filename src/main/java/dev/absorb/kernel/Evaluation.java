package dev.absorb.kernel;

/** The scalar results of one evaluation; the gradient goes to the caller's array. */
public record Evaluation(double lse, double loss) {
}
