using System.Diagnostics;
using System.Text;

namespace AmiShare.Benchmarks;

/// <summary>
/// The AWS CLI (this machine's `aws`, Debian's awscli v1) run as the seed guide runs it: a bash loop that starts one
/// `aws ec2 modify-image-attribute` process per call, with the emulator's owner keys in the environment.
/// </summary>
public sealed class AwsCli
{
    private readonly string _aws;

    private AwsCli(string aws, string version)
    {
        _aws = aws;
        Version = version;
    }

    /// <summary>`aws --version` (e.g. aws-cli/1.45.11 Python/3.11.7 …).</summary>
    public string Version { get; }

    /// <summary>Finds `aws` (the given path, else PATH); null with <paramref name="why"/> when it cannot run.</summary>
    public static AwsCli? Find(string? path, out string why)
    {
        string aws = path ?? "aws";
        try
        {
            var psi = Start("bash", "-c", "\"$0\" --version 2>&1", aws);
            using var p = Process.Start(psi)!;
            string text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                why = $"'{aws} --version' exited with {p.ExitCode}: {text}";
                return null;
            }

            why = "";
            return new AwsCli(aws, text);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            why = $"cannot start bash to run '{aws}': {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// The seed guide's loop: for each AMI, for each account, one `aws ec2 modify-image-attribute … Add=[{UserId=…}]`.
    /// Returns the wall time of the whole loop; throws when any call failed.
    /// </summary>
    public TimeSpan PerAccountLoop(string endpoint, IReadOnlyList<string> imageIds, IReadOnlyList<string> accounts) => RunLoop(endpoint, imageIds, accounts,
        """
        for AMI_ID in $AMIS; do
          for ACCOUNT in $ACCOUNTS; do
            "$AWS" ec2 modify-image-attribute --image-id "$AMI_ID" --launch-permission "Add=[{UserId=$ACCOUNT}]" --endpoint-url "$ENDPOINT" || exit 1
          done
        done
        """);

    /// <summary>One `aws ec2 modify-image-attribute` per AMI with every account in one Add list.</summary>
    public TimeSpan OneCallPerAmi(string endpoint, IReadOnlyList<string> imageIds, IReadOnlyList<string> accounts) => RunLoop(endpoint, imageIds, accounts,
        """
        ADD=""
        for ACCOUNT in $ACCOUNTS; do ADD="$ADD${ADD:+,}{UserId=$ACCOUNT}"; done
        for AMI_ID in $AMIS; do
          "$AWS" ec2 modify-image-attribute --image-id "$AMI_ID" --launch-permission "Add=[$ADD]" --endpoint-url "$ENDPOINT" || exit 1
        done
        """);

    private TimeSpan RunLoop(string endpoint, IReadOnlyList<string> imageIds, IReadOnlyList<string> accounts, string script)
    {
        var psi = Start("bash", "-c", "set -u\n" + script);
        psi.Environment["AWS"] = _aws;
        psi.Environment["AMIS"] = string.Join(' ', imageIds);
        psi.Environment["ACCOUNTS"] = string.Join(' ', accounts);
        psi.Environment["ENDPOINT"] = endpoint;
        // The emulator's owner account, as Program.cs sets it for the module; no user config or IMDS lookups.
        psi.Environment["AWS_ACCESS_KEY_ID"] = "AKIAAMISHAREOWNER001";
        psi.Environment["AWS_SECRET_ACCESS_KEY"] = "owner-secret";
        psi.Environment.Remove("AWS_SESSION_TOKEN");
        psi.Environment.Remove("AWS_PROFILE");
        psi.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        psi.Environment["AWS_REGION"] = "us-east-1";
        psi.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        psi.Environment["AWS_CONFIG_FILE"] = "/nonexistent/amishare-bench/config";
        psi.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/amishare-bench/credentials";

        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        clock.Stop();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"The AWS CLI loop failed (exit {p.ExitCode}): {stderr.Trim()} {stdout.Result.Trim()}");
        }

        return clock.Elapsed;
    }

    private static ProcessStartInfo Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }
}
