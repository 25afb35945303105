namespace AmiShare.Engine.Gateways
{
    /// <summary>What kind of failure a call met, as far as retrying goes.</summary>
    internal enum FailureKind
    {
        /// <summary>Not retried: AWS answered with an error that another attempt would repeat.</summary>
        Final,

        /// <summary>The service's throttling answer (RequestLimitExceeded, Throttling, ThrottlingException, TooManyRequestsException, SlowDown, HTTP 429): the request was refused before it did anything.</summary>
        Throttled,

        /// <summary>A 5xx answer or a connection that dropped or timed out: a write may or may not have been applied.</summary>
        Transient,
    }
}
