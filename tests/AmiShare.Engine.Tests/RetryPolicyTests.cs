using System.Net;
using System.Net.Http;
using Amazon.Runtime;
using AmiShare.Emulator;
using AmiShare.Engine;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Gateways;
using AmiShare.Engine.Principals;
using Xunit;

namespace AmiShare.Engine.Tests;

/// <summary>AmiShare's retry policy (SdkCall, RetrySettings, RetryClassifier): unit checks and the real gateways against the emulator's faults.</summary>
public sealed class RetryPolicyTests : IAsyncLifetime
{
    private const string Plain = "ami-0a1b2c3d4e5f60001";
    private const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static readonly Principal Consumer = PrincipalParser.Parse("111122223333");

    private readonly ListReporter _reporter = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await EmulatorHost.StartAsync(World.Demo());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AwsSession Session() =>
        new(new BasicAWSCredentials("AKIAAMISHAREOWNER001", "owner-secret"), "the supplied key parameters", "us-east-1", "region parameter", _host.Endpoint);

    /// <summary>An EC2 gateway whose backoff waits are 1 ms at most, unless the test says otherwise.</summary>
    private Ec2Gateway Gateway(Action<RetrySettings>? adjust = null)
    {
        var settings = new RetrySettings { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(1) };
        adjust?.Invoke(settings);
        return new Ec2Gateway(Session(), _reporter) { RetrySettings = settings };
    }

    private int SuccessfulModifies() => _host.Log.Entries.Count(e => e.Action == "ModifyImageAttribute" && e.Succeeded);

    private static AmazonServiceException ServiceError(string code, HttpStatusCode status) =>
        new("text", ErrorType.Receiver, code, "req-1", status);

    [Theory]
    [InlineData("RequestLimitExceeded", 503)]
    [InlineData("Throttling", 400)]
    [InlineData("ThrottlingException", 400)]
    [InlineData("TooManyRequestsException", 400)]
    [InlineData("SlowDown", 503)]
    [InlineData("AnythingElse", 429)]
    public void Classify_ThrottlingAnswers_Throttled(string code, int status) =>
        Assert.Equal(FailureKind.Throttled, RetryClassifier.Classify(ServiceError(code, (HttpStatusCode)status), default));

    [Theory]
    [InlineData("InternalError", 500)]
    [InlineData("Unavailable", 503)]
    [InlineData("KMSInternalException", 500)]
    public void Classify_ServerErrors_Transient(string code, int status) =>
        Assert.Equal(FailureKind.Transient, RetryClassifier.Classify(ServiceError(code, (HttpStatusCode)status), default));

    [Theory]
    [InlineData("InvalidAMIID.NotFound", 400)]
    [InlineData("UnauthorizedOperation", 403)]
    [InlineData("AuthFailure", 401)]
    public void Classify_ClientErrors_Final(string code, int status) =>
        Assert.Equal(FailureKind.Final, RetryClassifier.Classify(ServiceError(code, (HttpStatusCode)status), default));

    [Fact]
    public void Classify_NoAnswer_TransientUnlessTheCallerCancelled()
    {
        var dropped = new AmazonServiceException("request failed", new HttpRequestException("The response ended prematurely.", new IOException("reset")));
        Assert.Equal(FailureKind.Transient, RetryClassifier.Classify(dropped, default));
        Assert.Equal(FailureKind.Transient, RetryClassifier.Classify(new TaskCanceledException("HttpClient.Timeout"), default));

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Equal(FailureKind.Final, RetryClassifier.Classify(new OperationCanceledException(cts.Token), cts.Token));
    }

    [Fact]
    public void FromValues_Unset_Defaults()
    {
        RetrySettings s = RetrySettings.FromValues(null!, " ", "");
        Assert.Equal(TimeSpan.FromMinutes(5), s.ThrottleBudget);
        Assert.Equal(4, s.MaxTransientRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.BaseDelay);
    }

    [Fact]
    public void FromValues_Set_Applied()
    {
        RetrySettings s = RetrySettings.FromValues("900", "2", "50");
        Assert.Equal(TimeSpan.FromSeconds(900), s.ThrottleBudget);
        Assert.Equal(2, s.MaxTransientRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(50), s.BaseDelay);
    }

    [Theory]
    [InlineData("ten", null, null, RetrySettings.BudgetVariable, "ten")]
    [InlineData("-1", null, null, RetrySettings.BudgetVariable, "-1")]
    [InlineData(null, "2.5", null, RetrySettings.TransientVariable, "2.5")]
    [InlineData(null, null, "NaN", RetrySettings.BaseDelayVariable, "NaN")]
    public void FromValues_Bad_RefusedNamingVariableValueAndFix(string? budget, string? transient, string? delay, string variable, string value)
    {
        var e = Assert.Throws<AmiShareException>(() => RetrySettings.FromValues(budget!, transient!, delay!));
        Assert.Equal(ErrorIds.InvalidRetrySetting, e.ErrorId);
        Assert.Contains(variable, e.Message);
        Assert.Contains("'" + value + "'", e.Message);
        Assert.Contains("$env:" + variable + " = $null", e.Remedy);
    }

    [Fact]
    public void Backoff_FullJitterBelowADoublingCeilingCappedAtMaxDelay()
    {
        var s = new RetrySettings { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), NextRandom = () => 0.5 };
        Assert.Equal(TimeSpan.FromMilliseconds(50), s.Backoff(1));
        Assert.Equal(TimeSpan.FromMilliseconds(200), s.Backoff(3));
        Assert.Equal(TimeSpan.FromMilliseconds(500), s.Backoff(10));
        Assert.Equal(TimeSpan.FromMilliseconds(500), s.Backoff(int.MaxValue));
    }

    [Fact]
    public void CreateClient_SdkRetriesOff_OneAttemptPerAmiShareAttempt()
    {
        using var client = (Amazon.EC2.AmazonEC2Client)Ec2Gateway.CreateClient(Session());
        Assert.Equal(0, client.Config.MaxErrorRetry);
        Assert.Equal(0, client.Config.MaxStaleConnectionRetries);
    }

    [Fact]
    public async Task Modify_ThrottledTwentyTimes_RetriedUntilApplied_OneVerboseLinePerRetry()
    {
        _host.Options.ThrottleNext("ModifyImageAttribute", 20);
        using var gateway = Gateway();

        await gateway.ModifyLaunchPermissionsAsync(Plain, new[] { Consumer }, null, default);

        Assert.Equal(21, _host.Log.Count("ModifyImageAttribute"));
        Assert.Equal(1, SuccessfulModifies());
        var retryLines = _reporter.VerboseLines.Where(l => l.StartsWith($"EC2 throttled ModifyImageAttribute for {Plain} (RequestLimitExceeded (HTTP 503)); retrying in ", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, retryLines.Count);
        Assert.Contains("(retry 20; ", retryLines[19]);
        Assert.Contains("s retry budget used", retryLines[19]);
        Assert.Contains(("UserId", "111122223333"), _host.World.LaunchPermissionsOf("us-east-1", Plain));
    }

    [Fact]
    public async Task Read_ThrottledPastTheBudget_Throttled()
    {
        _host.Options.AddFault(new FaultRule("DescribeImageAttribute", FaultKind.Throttle, Rate: 1.0));
        using var gateway = Gateway(s => s.ThrottleBudget = TimeSpan.FromMilliseconds(100));

        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.GetLaunchPermissionsAsync(Plain, default));

        Assert.Equal(ErrorIds.Throttled, e.ErrorId);
        Assert.True(_host.Log.Count("DescribeImageAttribute") > 1, "throttling is retried while the budget lasts");
    }

    [Fact]
    public async Task Read_ZeroBudget_ThrottledAfterOneAttempt()
    {
        _host.Options.ThrottleNext("DescribeImageAttribute", 1);
        using var gateway = Gateway(s => s.ThrottleBudget = TimeSpan.Zero);

        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.GetLaunchPermissionsAsync(Plain, default));

        Assert.Equal(ErrorIds.Throttled, e.ErrorId);
        Assert.Equal(1, _host.Log.Count("DescribeImageAttribute"));
    }

    [Fact]
    public async Task Modify_AnswerLostAfterApply_ReReadShowsApplied_NotSentAgain()
    {
        _host.Options.DropAfterApplyNext("ModifyImageAttribute");
        using var gateway = Gateway();

        await gateway.ModifyLaunchPermissionsAsync(Plain, new[] { Consumer }, null, default);

        Assert.True(1 == _host.Log.Count("ModifyImageAttribute"), string.Join("\n", _host.Log.Entries.Select(e => e.ToString())) + "\n" + string.Join("\n", _reporter.VerboseLines));
        Assert.Equal(1, SuccessfulModifies());
        Assert.Equal("ConnectionDroppedAfterApply", _host.Log.Entries.Single(e => e.Action == "ModifyImageAttribute").ErrorCode);
        Assert.Equal(1, _host.Log.Count("DescribeImageAttribute"));
        Assert.Contains($"EC2 ModifyImageAttribute for {Plain}: the answer to the last attempt was lost, and a re-read shows it was applied; not sending it again.", _reporter.VerboseLines);
    }

    [Fact]
    public async Task Modify_ServerErrorBeforeApply_ReReadShowsNotApplied_SentAgainOnce()
    {
        _host.Options.FailNext("ModifyImageAttribute", "InternalError", 500);
        using var gateway = Gateway();

        await gateway.ModifyLaunchPermissionsAsync(Plain, new[] { Consumer }, null, default);

        Assert.Equal(2, _host.Log.Count("ModifyImageAttribute"));
        Assert.Equal(1, SuccessfulModifies());
        Assert.Equal(1, _host.Log.Count("DescribeImageAttribute"));
        Assert.Contains($"EC2 ModifyImageAttribute for {Plain}: the answer to the last attempt was lost, and a re-read shows it was not applied; sending it again.", _reporter.VerboseLines);
        Assert.Contains(_reporter.VerboseLines, l => l.StartsWith($"EC2 ModifyImageAttribute for {Plain} got InternalError (HTTP 500); retrying in ", StringComparison.Ordinal) && l.EndsWith("(retry 1 of 4 after server errors and lost connections).", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Remove_AnswerLostAfterApply_ReReadShowsApplied()
    {
        using var gateway = Gateway();
        await gateway.ModifyLaunchPermissionsAsync(Plain, new[] { Consumer }, null, default);
        _host.Log.Clear();
        _host.Options.DropAfterApplyNext("ModifyImageAttribute");

        await gateway.ModifyLaunchPermissionsAsync(Plain, null, new[] { Consumer }, default);

        Assert.Equal(1, _host.Log.Count("ModifyImageAttribute"));
        Assert.Empty(_host.World.LaunchPermissionsOf("us-east-1", Plain));
    }

    [Fact]
    public async Task Modify_ServerErrorsBeyondTheBound_AwsServiceError()
    {
        _host.Options.FailNext("ModifyImageAttribute", "InternalError", 500, times: 10);
        using var gateway = Gateway(s => s.MaxTransientRetries = 2);

        var e = await Assert.ThrowsAsync<AmiShareException>(() => gateway.ModifyLaunchPermissionsAsync(Plain, new[] { Consumer }, null, default));

        Assert.Equal(ErrorIds.AwsServiceError, e.ErrorId);
        Assert.Equal(3, _host.Log.Count("ModifyImageAttribute"));
        Assert.Equal(0, SuccessfulModifies());
    }

    [Fact]
    public async Task Reset_AnswerLostAfterApply_ReReadShowsApplied()
    {
        using var gateway = Gateway();
        await gateway.ModifyLaunchPermissionsAsync(Plain, new[] { Consumer }, null, default);
        _host.Options.DropAfterApplyNext("ResetImageAttribute");

        await gateway.ResetLaunchPermissionsAsync(Plain, default);

        Assert.Equal(1, _host.Log.Count("ResetImageAttribute"));
        Assert.Empty(_host.World.LaunchPermissionsOf("us-east-1", Plain));
    }

    [Fact]
    public async Task PutKeyPolicy_AnswerLostAfterApply_ReReadShowsApplied_OneEdit()
    {
        using var kms = new KmsGateway(Session(), _reporter);
        string original = await kms.GetKeyPolicyAsync(KeyArn, default);
        string edited = original.Replace("\"Statement\"", "\"Statement\" ", StringComparison.Ordinal);
        Assert.NotEqual(original, edited);
        _host.Options.DropAfterApplyNext("PutKeyPolicy");

        await kms.PutKeyPolicyAsync(KeyArn, edited, default);

        Assert.Equal(1, _host.Log.Count("PutKeyPolicy"));
        Assert.Equal(edited, await kms.GetKeyPolicyAsync(KeyArn, default));
    }

    [Fact]
    public async Task BackoffWait_CallerCancels_CancelledWithoutWaitingItOut()
    {
        // The wait after the first throttle is 30 s (random fixed near 1): only cancellation can end the call early.
        _host.Options.ThrottleNext("DescribeImageAttribute", 1);
        using var gateway = Gateway(s =>
        {
            s.BaseDelay = TimeSpan.FromSeconds(30);
            s.MaxDelay = TimeSpan.FromSeconds(30);
            s.NextRandom = () => 0.999;
        });
        using var cts = new CancellationTokenSource();
        Task call = gateway.GetLaunchPermissionsAsync(Plain, cts.Token);
        while (!_reporter.VerboseLines.ToList().Any(l => l.StartsWith("EC2 throttled DescribeImageAttribute", StringComparison.Ordinal)))
        {
            Assert.False(call.IsCompleted, "the call ended before its first retry");
            await Task.Delay(10);
        }

        cts.Cancel();
        Task finished = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.Same(call, finished);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, _host.Log.Count("DescribeImageAttribute"));
    }
}
