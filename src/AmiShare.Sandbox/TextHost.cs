using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace AmiShare.Sandbox;

/// <summary>
/// A minimal PowerShell host that renders everything a user would see (formatted output, warnings,
/// errors, verbose lines) as text on a <see cref="TextWriter"/>. Out-Default and the module's format
/// file do the formatting; this host only prints lines. It never prompts: a prompt is answered "no"
/// (so a high-impact cmdlet without -Force or -Confirm:$false does nothing, as in a CI job).
/// </summary>
public sealed class TextHost : PSHost
{
    private readonly TextHostUserInterface _ui;
    private readonly Guid _id = Guid.NewGuid();

    public TextHost(TextWriter writer, int width = 160, bool plainText = true)
    {
        _ui = new TextHostUserInterface(writer, width, plainText);
    }

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override Guid InstanceId => _id;

    public override string Name => "AmiShare.Sandbox";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new Version(1, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by the sandbox host.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by the sandbox host.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class TextHostUserInterface : PSHostUserInterface
    {
        private static readonly System.Text.RegularExpressions.Regex s_vt = new(@"\x1b\[[0-9;?]*[A-Za-z]");
        private readonly TextWriter _writer;
        private readonly TextRawUi _raw;
        private readonly bool _plainText;

        public TextHostUserInterface(TextWriter writer, int width, bool plainText)
        {
            _writer = new StrippingWriter(writer, plainText);
            _raw = new TextRawUi(width);
            _plainText = plainText;
        }

        public override bool SupportsVirtualTerminal => !_plainText;

        /// <summary>Drops ANSI sequences (table header styles) when the output is plain text.</summary>
        private sealed class StrippingWriter : TextWriter
        {
            private readonly TextWriter _inner;
            private readonly bool _strip;

            public StrippingWriter(TextWriter inner, bool strip)
            {
                _inner = inner;
                _strip = strip;
            }

            public override System.Text.Encoding Encoding => _inner.Encoding;

            public override void Write(char value) => _inner.Write(value);

            public override void Write(string? value) => _inner.Write(Clean(value));

            public override void WriteLine(string? value) => _inner.WriteLine(Clean(value));

            public override void Flush() => _inner.Flush();

            private string? Clean(string? value) => _strip && value != null ? s_vt.Replace(value, string.Empty) : value;
        }

        public override PSHostRawUserInterface RawUI => _raw;

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
            => throw new PSInvalidOperationException("The sandbox host cannot prompt; pass the values as parameters.");

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            // A confirmation is answered "No" so nothing changes without consent (as in a CI job);
            // any other question (e.g. $DebugPreference = 'Inquire') takes its default answer.
            for (int i = 0; i < choices.Count; i++)
            {
                if (choices[i].Label.Replace("&", string.Empty).StartsWith("No", StringComparison.OrdinalIgnoreCase))
                {
                    _writer.WriteLine($"{caption}: {message} [answered No: the sandbox host cannot prompt]");
                    return i;
                }
            }

            return defaultChoice >= 0 && defaultChoice < choices.Count ? defaultChoice : 0;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
            => throw new PSInvalidOperationException("The sandbox host cannot prompt for credentials.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
            => throw new PSInvalidOperationException("The sandbox host cannot prompt for credentials.");

        public override string ReadLine() => throw new PSInvalidOperationException("The sandbox host cannot read input.");

        public override SecureString ReadLineAsSecureString() => throw new PSInvalidOperationException("The sandbox host cannot read input.");

        public override void Write(string value) => _writer.Write(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => _writer.Write(value);

        public override void WriteLine(string value) => _writer.WriteLine(value);

        public override void WriteDebugLine(string message) => _writer.WriteLine("DEBUG: " + message);

        public override void WriteErrorLine(string value) => _writer.WriteLine(value);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message) => _writer.WriteLine("VERBOSE: " + message);

        public override void WriteWarningLine(string message) => _writer.WriteLine("WARNING: " + message);
    }

    private sealed class TextRawUi : PSHostRawUserInterface
    {
        private Size _bufferSize;

        public TextRawUi(int width)
        {
            _bufferSize = new Size(width, 9999);
        }

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override Size BufferSize { get => _bufferSize; set => _bufferSize = value; }

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; }

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => _bufferSize;

        public override Size MaxWindowSize => _bufferSize;

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize { get => new Size(_bufferSize.Width, 50); set { } }

        public override string WindowTitle { get; set; } = "AmiShare";

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
        {
        }

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
        {
        }

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
        {
        }
    }
}
