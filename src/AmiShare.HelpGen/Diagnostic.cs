namespace AmiShare.HelpGen;

/// <summary>A problem in a docs page, printed in the canonical "file(line): error CODE: message" form MSBuild picks up.</summary>
public sealed record Diagnostic(string File, int Line, string Code, string Message)
{
    /// <summary>The canonical MSBuild error line.</summary>
    public override string ToString() => $"{File}({Math.Max(Line, 1)}): error {Code}: {Message}";
}
