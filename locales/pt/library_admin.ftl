## The offline library (issue #18): library_admin

library_admin-title = Biblioteca offline
library_admin-intro = As enciclopédias, dicionários e livros (ficheiros ZIM do Kiwix) que a escola consulta sem internet. Escolha quem lê cada um; alunos e encarregados de educação só veem uma coleção depois de a abrir para eles.
library_admin-installed =
    { $n ->
        [one] Uma coleção instalada
       *[other] { $n } coleções instaladas
    }
library_admin-none = Adicione uma coleção por uma das três formas descritas no fim desta página.
library_admin-missing = Ficheiro em falta: volte a adicioná-lo.
library_admin-missing_hint = As cópias de segurança guardam a lista das coleções, mas não os seus ficheiros. Volte a pôr o ficheiro (linha de comandos, disco USB ou pasta Library da partilha do pessoal): o seu público mantém-se. Esperado em { $file }.
library_admin-language = Língua
library_admin-articles = Artigos
library_admin-size = Tamanho
library_admin-date = Data
library_admin-creator = Autor
library_admin-source = Adicionada a partir de
library_admin-source-cli = linha de comandos
library_admin-source-webdav = partilha do pessoal
library_admin-source-usb = disco USB
library_admin-index = Pesquisa em texto integral
library_admin-index-pending = à espera de indexação (só títulos até lá)
library_admin-index-building = a indexar: { $done } de { $total } artigos (só títulos até lá)
library_admin-index-ready = pronta
library_admin-index-failed = a indexação falhou (só títulos)
library_admin-audience = Quem a lê
library_admin-audience-school = Toda a escola
library_admin-audience-staff = Só o pessoal
library_admin-audience-classes = Turmas escolhidas
library_admin-classes = Turmas deste ano
library_admin-audience_hint = O pessoal lê sempre todas as coleções. «Turmas escolhidas»: os alunos dessas turmas e os seus encarregados de educação.
library_admin-save_audience = Guardar
library_admin-remove = Remover…
library_admin-refused_title = Ficheiros encontrados e recusados
library_admin-file = Ficheiro
library_admin-found_in = Encontrado em
library_admin-reason = Motivo
library_admin-seen = Visto em
library_admin-refused_hint = Um ficheiro recusado fica na lista até ser corrigido, substituído ou apagado.
library_admin-refused_none = Nenhum ficheiro recusado.
library_admin-refused-unreadable = O ficheiro não pode ser lido (erro do disco ou de permissões).
library_admin-refused-not_zim = Isto não é uma coleção Kiwix (ficheiro ZIM).
library_admin-refused-split_name = A primeira parte de uma coleção dividida deve terminar em .zimaa.
library_admin-refused-version = Esta versão do formato ZIM não é suportada (as versões 5 e 6 são).
library_admin-refused-compression = A coleção usa uma compressão antiga que não é suportada: descarregue uma cópia mais recente.
library_admin-refused-too_large = Uma parte da coleção é maior do que o servidor aceita.
library_admin-refused-corrupt = O ficheiro está danificado ou incompleto: copie-o de novo.
library_admin-refused-already = Esta coleção já está instalada.
library_admin-refused-place = Não foi possível colocar o ficheiro na biblioteca (o disco está cheio?).
library_admin-refused-removed = Um administrador removeu esta coleção: as procuras deixam-na de fora.
library_admin-refused-other = Recusado.
library_admin-readmit = Voltar a adicionar
library_admin-not_removed = Este ficheiro não é uma coleção removida.
library_admin-detail = Pormenor
library_admin-scan_title = Procura de novos ficheiros
library_admin-scanning = Está a decorrer uma procura (uma cópia a partir de um disco USB pode demorar muito).
library_admin-last_scan =
    Última procura: { $at }, { $n ->
        [0] nada adicionado
        [one] uma coleção adicionada
       *[other] { $n } coleções adicionadas
    }.
library_admin-waiting = Ainda a ser copiados, adicionados numa próxima procura:
library_admin-scan_now = Procurar agora
library_admin-how_title = Como adicionar uma coleção
library_admin-how_staff = Copie o ficheiro .zim para uma pasta chamada Library na raiz da partilha do pessoal (WebDAV ou Documentos). É adicionado em poucos minutos, sem ser copiado uma segunda vez.
library_admin-how_usb = Ligue um disco USB com uma pasta library (ou kiwix) na raiz: a caixa monta-o, só para leitura, e copia os seus ficheiros para o servidor em poucos segundos; retire-o quando esta página os mostrar. (Num servidor instalado à mão, monte o disco em /media ou /mnt.)
library_admin-how_cli = Ou, por SSH:
library_admin-how_audience = Uma coleção encontrada numa pasta ou num disco fica primeiro só para o pessoal: abra-a aqui à escola ou a turmas.
library_admin-remove_title = Remover uma coleção
library_admin-remove_confirm = Remover «{ $title }» da biblioteca? O seu ficheiro ({ $size }) e o seu índice de pesquisa são apagados do servidor.
library_admin-remove_twins = O mesmo ficheiro na partilha do pessoal também é apagado (senão não se libertaria espaço e a próxima procura voltaria a adicioná-lo):
library_admin-remove_hint = As ligações para os seus artigos no livro de sumários, no fórum ou no correio deixam de funcionar.
library_admin-remove_yes = Remover
library_admin-cancel = Cancelar
library_admin-bad_audience = Escolha quem lê a coleção: toda a escola, o pessoal, ou pelo menos uma turma deste ano.

## flash.library_admin

flash-library_admin-audience_saved = O público foi guardado.
flash-library_admin-no_class = Assinale pelo menos uma turma para «Turmas escolhidas»; nada foi alterado.
flash-library_admin-removed = A coleção foi removida.
flash-library_admin-scanned = Procura terminada.
flash-library_admin-scan_running = A procura continua em segundo plano; recarregue esta página daqui a pouco.

## audit_action

audit_action-manage_library = Coleção da biblioteca alterada
