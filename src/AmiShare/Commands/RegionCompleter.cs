using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AmiShare.Engine.Aws;

namespace AmiShare.Commands
{
    /// <summary>Tab completion for -Region: the region names the SDK knows, with their display names as tooltips.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return AwsRegions.Known
                .Where(r => r.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(r => new CompletionResult(r.Key, r.Key, CompletionResultType.ParameterValue, r.Value + " (" + r.Key + ")"));
        }
    }
}
