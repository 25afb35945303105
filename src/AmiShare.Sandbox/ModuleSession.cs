using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace AmiShare.Sandbox;

/// <summary>
/// A PowerShell 7 runspace (System.Management.Automation, in-process) with the built AmiShare module
/// imported from out/&lt;Configuration&gt;/AmiShare, the folder users get. Used by the sandbox and by the module tests.
/// </summary>
public sealed class ModuleSession : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleSession(TextWriter? hostOutput = null, string? manifestPath = null, bool plainText = true)
    {
        ManifestPath = manifestPath ?? RepoPaths.ModuleManifest;
        if (!File.Exists(ManifestPath))
        {
            throw new FileNotFoundException($"The module is not built: {ManifestPath} is missing. Run 'dotnet build' first.", ManifestPath);
        }

        HostOutput = hostOutput ?? new StringWriter();
        var iss = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }

        _runspace = RunspaceFactory.CreateRunspace(new TextHost(HostOutput, plainText: plainText), iss);
        _runspace.Open();
        if (plainText)
        {
            // No ANSI colour sequences: the text is read by tests or written to a log.
            Invoke("$PSStyle.OutputRendering = 'PlainText'").ThrowIfErrors();
        }

        Invoke("Import-Module -Name $args[0] -ErrorAction Stop", ManifestPath).ThrowIfErrors();
    }

    /// <summary>The psd1 that was imported.</summary>
    public string ManifestPath { get; }

    /// <summary>Where the host writes what a user would see (Out-Default, warnings, errors).</summary>
    public TextWriter HostOutput { get; }

    public Runspace Runspace => _runspace;

    /// <summary>Sets a variable in the session (e.g. $StoredAWSCredentials).</summary>
    public void SetVariable(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    /// <summary>Runs a script; $args holds <paramref name="args"/>. Streams are collected, not printed.</summary>
    public PsResult Invoke(string script, params object[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (object a in args)
        {
            ps.AddArgument(a);
        }

        Collection<PSObject> output;
        Exception? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException e)
        {
            output = new Collection<PSObject>();
            terminating = e;
        }

        return new PsResult(output, ps.Streams.Error.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(), ps.Streams.Debug.Select(d => d.Message).ToList(), terminating);
    }

    /// <summary>Runs a script the way a console shows it: every stream rendered by Out-Default through the host.</summary>
    /// <summary>
    /// Runs a script with every stream written to the host as pwsh would show it. Returns false when the
    /// script stopped on a terminating error, which is then shown (with its error id and recommendation)
    /// the way pwsh shows it.
    /// </summary>
    public bool InvokeToHost(string script, params object[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (object a in args)
        {
            ps.AddArgument(a);
        }

        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.All, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");
        try
        {
            ps.Invoke();
            return true;
        }
        catch (RuntimeException e)
        {
            ErrorRecord record = e.ErrorRecord ?? new ErrorRecord(e, "ScriptFailed", ErrorCategory.NotSpecified, null);
            using var show = PowerShell.Create();
            show.Runspace = _runspace;
            show.AddScript("$args[0] | Out-Default").AddArgument(record);
            show.Invoke();
            HostOutput.WriteLine($"The script stopped on a terminating error ({record.FullyQualifiedErrorId}).");

            return false;
        }
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>What one script run produced, stream by stream.</summary>
public sealed record PsResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    Exception? Terminating)
{
    /// <summary>FullyQualifiedErrorIds of the non-terminating errors (and the terminating one, if any).</summary>
    public IReadOnlyList<string> ErrorIds
    {
        get
        {
            var ids = Errors.Select(e => e.FullyQualifiedErrorId).ToList();
            if (Terminating is IContainsErrorRecord r && r.ErrorRecord != null)
            {
                ids.Add(r.ErrorRecord.FullyQualifiedErrorId);
            }

            return ids;
        }
    }

    /// <summary>Every error, non-terminating and terminating, as ErrorRecords.</summary>
    public IReadOnlyList<ErrorRecord> AllErrors
    {
        get
        {
            var all = Errors.ToList();
            if (Terminating is IContainsErrorRecord r && r.ErrorRecord != null)
            {
                all.Add(r.ErrorRecord);
            }

            return all;
        }
    }

    /// <summary>The first error as pwsh 7 shows it: the message, then the recommended action when there is one.</summary>
    public string FirstErrorText => AllErrors.Count == 0 ? string.Empty : (AllErrors[0] + " " + AllErrors[0].ErrorDetails?.RecommendedAction).TrimEnd();

    public PsResult ThrowIfErrors()
    {
        if (Terminating != null)
        {
            throw new InvalidOperationException("Script failed: " + Terminating.Message, Terminating);
        }

        if (Errors.Count > 0)
        {
            throw new InvalidOperationException("Script wrote errors: " + string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        }

        return this;
    }
}
