using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using System.Runtime.CompilerServices;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Completion;

namespace AmiShare.Commands
{
    /// <summary>
    /// Tab completion for -ImageId: the caller's own AMIs (available or pending) in the resolved region, newest
    /// first, with name and creation date in the list and tooltip. Credentials, region and endpoint come from the
    /// parameters on the line, then $PSDefaultParameterValues, then what the cmdlets read ($StoredAWSCredentials,
    /// $StoredAWSRegion, $AWSProxy, environment, profiles). The engine bounds the time and caches; any failure
    /// gives no suggestions.
    /// </summary>
    /// <remarks>Names no engine or AWSSDK type in its signatures: the engine is only called inside method bodies.</remarks>
    public sealed class ImageIdCompleter : IArgumentCompleter
    {
        // The session parameters of AmiShareCmdlet, by property name; their aliases are read from the attributes.
        private static readonly string[] s_sessionParameters =
        {
            "Region", "AccessKey", "SecretKey", "SessionToken", "ProfileName", "ProfileLocation", "Credential", "EndpointUrl",
        };

        private static readonly Dictionary<string, string[]> s_names = s_sessionParameters.ToDictionary(
            p => p,
            p => new[] { p }.Concat(typeof(AmiShareCmdlet).GetProperty(p).GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames)).ToArray(),
            StringComparer.OrdinalIgnoreCase);

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                return Offer(commandName, wordToComplete, fakeBoundParameters);
            }
            catch (Exception)
            {
                // A prompt never shows an exception from completion, not even an engine that fails to load.
                return new CompletionResult[0];
            }
        }

        /// <summary>The engine's suggestions. Kept apart (and never inlined) so loading the engine happens inside the try above.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static List<CompletionResult> Offer(string commandName, string wordToComplete, IDictionary fakeBoundParameters)
        {
            PSVariableIntrinsics variables = CurrentVariables();
            IDictionary defaults = Unwrap(variables?.GetValue("PSDefaultParameterValues")) as IDictionary;
            Func<string, object> value = name => FromLine(fakeBoundParameters, name) ?? FromDefaults(defaults, commandName, name);
            var parameters = new SessionParameters
            {
                Region = Unwrap(value("Region")),
                AccessKey = Text(value("AccessKey")),
                SecretKey = Text(value("SecretKey")),
                SessionToken = Text(value("SessionToken")),
                ProfileName = Text(value("ProfileName")),
                ProfileLocation = Text(value("ProfileLocation")),
                Credential = Unwrap(value("Credential")),
                EndpointUrl = Text(value("EndpointUrl")),
            };
            if (variables != null)
            {
                StoredAwsSettings.AddTo(parameters, variables);
            }

            // A loop, not a lambda: no member of this class, generated or not, takes an engine type.
            var results = new List<CompletionResult>();
            foreach (ImageIdSuggestion s in OwnedImageLister.Shared.Complete(parameters, wordToComplete))
            {
                results.Add(new CompletionResult(s.ImageId, s.ListItemText, CompletionResultType.ParameterValue, s.ToolTip));
            }

            return results;
        }

        /// <summary>
        /// The variables of the session that is completing. Completion runs on that session's pipeline thread, where a
        /// script block sees its $ExecutionContext (Runspace.DefaultRunspace is not set in every host). $ExecutionContext
        /// always exists, so this works under Set-StrictMode too, and no cmdlet or module is needed.
        /// </summary>
        private static PSVariableIntrinsics CurrentVariables()
        {
            object context = ScriptBlock.Create("$ExecutionContext").Invoke().FirstOrDefault()?.BaseObject;
            return (context as EngineIntrinsics)?.SessionState.PSVariable;
        }

        /// <summary>A parameter given on the line, by its name or an alias.</summary>
        private static object FromLine(IDictionary bound, string name)
        {
            if (bound == null)
            {
                return null;
            }

            foreach (DictionaryEntry entry in bound)
            {
                if (entry.Key is string key && s_names[name].Contains(key, StringComparer.OrdinalIgnoreCase) && entry.Value != null)
                {
                    return entry.Value;
                }
            }

            return null;
        }

        /// <summary>
        /// A $PSDefaultParameterValues entry "Command:Parameter" for this command (wildcards in the command part, the
        /// parameter by name or alias), as PowerShell would bind it; "Disabled" turns them all off. Script-block values,
        /// which PowerShell evaluates at binding time, are not run during completion.
        /// </summary>
        private static object FromDefaults(IDictionary defaults, string commandName, string name)
        {
            if (defaults == null || string.IsNullOrEmpty(commandName) || LanguagePrimitives.IsTrue(Unwrap(defaults["Disabled"])))
            {
                return null;
            }

            string command = commandName.Substring(commandName.LastIndexOf('\\') + 1);
            foreach (DictionaryEntry entry in defaults)
            {
                string key = entry.Key as string;
                int colon = key?.IndexOf(':') ?? -1;
                if (colon <= 0)
                {
                    continue;
                }

                string commandPart = key.Substring(0, colon).Trim();
                string parameterPart = key.Substring(colon + 1).Trim();
                object candidate = Unwrap(entry.Value);
                if (candidate != null && !(candidate is ScriptBlock)
                    && s_names[name].Contains(parameterPart, StringComparer.OrdinalIgnoreCase)
                    && new WildcardPattern(commandPart, WildcardOptions.IgnoreCase).IsMatch(command))
                {
                    return candidate;
                }
            }

            return null;
        }

        private static string Text(object value)
        {
            value = Unwrap(value);
            return value == null ? null : value as string ?? LanguagePrimitives.ConvertTo<string>(value);
        }

        private static object Unwrap(object value) => value is PSObject pso ? pso.BaseObject : value;
    }
}
